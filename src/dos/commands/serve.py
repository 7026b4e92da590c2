"""dos serve: the operator's views (top, decisions, plan, observe) in a browser."""

from __future__ import annotations

import argparse
import os
import sys

from dos import structs
from dos.commands._args import count
from dos.render import emit, with_schema

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.web.options import ServeOptions

_EPILOG = """\
Pages: / (top), /decisions (with a page per decision and approve / dismiss forms),
/plan, /observe; they redraw themselves when the store changes. JSON: /api/top,
/api/decisions[/N], /api/plan, /api/observe answer exactly what the verb's --json
answers (same query: ?all=1&since=1h, ?by=source&tail=50, ?pairs=AUTH,AUTH1);
/api/openapi.json describes them. Needs the [web] extra.

Without a token the server listens on loopback only and answers only requests
addressed to localhost; resolving journals --owner (else $DOS_OWNER) as who decided.
With --token-file (or [serve] token_file in dos.toml) every request needs the token:
`Authorization: Bearer TOKEN`, or log in at /login with an operator name, which is
what a resolve journals. --token puts the secret in the process list: prefer a file.
A non-loopback --host without a token is refused.

examples:
  dos serve                               http://127.0.0.1:8787/ for this machine only
  dos serve --port 9000 --owner alice
  dos serve --host 0.0.0.0 --token-file ~/.config/dos/token
  dos serve --check --json                the URL, exit 0 when the server would start

exit codes: 0 --check: the server would start, 2 usage (a non-loopback host without a
token, a bad token or token file), 3 the address cannot be listened on (the port is
taken), 4 the [web] extra is not installed; a running server shuts down cleanly and
exits 130 on Ctrl-C, 143 on SIGTERM"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--host", default=None,
                        help="the address to listen on (default [serve] host, else 127.0.0.1)")
    parser.add_argument("--port", type=count(0, 65_535), default=None,
                        help="the port (default [serve] port, else 8787; 0: any free port)")
    secret = parser.add_mutually_exclusive_group()
    secret.add_argument("--token", default=None,
                        help="the token every request must carry (visible to `ps`)")
    secret.add_argument("--token-file", default=None, metavar="FILE",
                        help="read the token from FILE (default [serve] token_file)")
    parser.add_argument("--owner", default="",
                        help="without a token: who resolves decisions (default $DOS_OWNER)")
    parser.add_argument("--check", action="store_true",
                        help="print the URL and exit 0 when the server would start")


def _answer(options: ServeOptions, *, state: str) -> dict[str, object]:
    answer: dict[str, object] = with_schema(
        {"url": options.url, "host": options.host, "port": options.port,
         "auth": "token" if options.token else "none", "state": state}, "serve")
    return answer


def run(*, host: str | None, port: int | None, token: str | None, token_file: str | None,
        owner: str, check: bool, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api.serve import WEB_HINT, web_available
    from dos.web.options import WebUnavailableError, bind, serve_options
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    options = serve_options(config, host=host, port=port, token=token, token_file=token_file)
    if not web_available():
        raise WebUnavailableError("dos serve needs Starlette and uvicorn (the [web] extra)",
                             hint=WEB_HINT)
    sock = bind(options)
    options = structs.replace(options, port=int(sock.getsockname()[1]))  # for --port 0
    if check:
        sock.close()
        emit(_answer(options, state="ready"), output=output, text=lambda _c: options.url)
        return 0
    emit(_answer(options, state="listening"), output=output,
         text=lambda _c: f"dos serve: {options.url} ("
                         f"{'token required' if options.token else 'this machine only'}); "
                         "Ctrl-C stops it")
    sys.stdout.flush()
    from dos.web.server import serve

    serve(config, options, sock, owner=owner.strip() or os.environ.get("DOS_OWNER", "").strip())
    return 0
