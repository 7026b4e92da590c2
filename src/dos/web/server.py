"""Run the app under uvicorn on a socket already bound (so a taken port is our error,
with its own exit code, not a log line and a bare exit 1)."""

from __future__ import annotations

import socket
from types import FrameType

import uvicorn
from starlette.applications import Starlette

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.web.app import create_app
from dos.web.options import ServeOptions

__all__ = ["WebServer", "serve"]


class WebServer(uvicorn.Server):
    """uvicorn's server, which also ends the open event streams when asked to stop
    (they would otherwise hold the graceful shutdown until its timeout)."""

    def __init__(self, app: Starlette, **options: object) -> None:
        super().__init__(uvicorn.Config(
            app, log_level="warning", access_log=False, server_header=False, lifespan="on",
            timeout_graceful_shutdown=3, **options))  # type: ignore[arg-type]
        self.app = app

    def stop(self) -> None:
        self.app.state.watcher.closing = True
        self.should_exit = True

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.app.state.watcher.closing = True
        super().handle_exit(sig, frame)


def serve(config: SubstrateConfig, options: ServeOptions, sock: socket.socket, *,
          owner: str) -> None:
    """Serve until interrupted: SIGINT / SIGTERM shut it down cleanly, then reach the
    CLI as the signal they were (130 / 143)."""
    app = create_app(config, token=options.token, owner=owner)
    # X-Forwarded-Proto / -For are believed from a proxy on this machine only
    server = WebServer(app, proxy_headers=True, forwarded_allow_ips="127.0.0.1")
    server.run(sockets=[sock])
    if not server.started:  # uvicorn has logged why; a start that fails is a bug here
        raise DosError("the web server did not start", hint="see the lines above")
