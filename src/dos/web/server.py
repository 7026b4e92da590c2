"""Run the app under uvicorn on a socket already bound (so a taken port is our error,
with its own exit code, not a log line and a bare exit 1)."""

from __future__ import annotations

import socket

import uvicorn

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.web.app import create_app
from dos.web.options import ServeOptions

__all__ = ["serve"]


def serve(config: SubstrateConfig, options: ServeOptions, sock: socket.socket, *,
          owner: str) -> None:
    """Serve until interrupted: SIGINT / SIGTERM shut it down cleanly, then reach the
    CLI as the signal they were (130 / 143)."""
    app = create_app(config, token=options.token, owner=owner)
    server = uvicorn.Server(uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False,
        proxy_headers=True, forwarded_allow_ips="127.0.0.1", lifespan="on",
        timeout_graceful_shutdown=3))
    server.run(sockets=[sock])
    if not server.started:  # uvicorn has logged why; a start that fails is a bug here
        raise DosError("the web server did not start", hint="see the lines above")
