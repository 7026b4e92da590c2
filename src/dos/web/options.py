"""What ``dos serve`` would listen on and who may talk to it, checked before anything
starts. Imports no web framework: ``dos serve --check`` and ``dos doctor`` use it too."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from dos.api.serve import is_loopback, token_path
from dos.config import SubstrateConfig
from dos.errors import DosError, UsageError
from dos.structs import struct

__all__ = ["MIN_TOKEN", "AddressUnavailableError", "ServeOptions", "WebUnavailableError", "bind",
           "read_token_file", "serve_options"]

MIN_TOKEN = 16  # characters: a shorter shared secret is guessable over the network
MAX_TOKEN = 4096


@struct
class ServeOptions:
    """Where to listen and the token every request must carry ("" = none, loopback only)."""

    host: str
    port: int
    token: str = ""
    token_source: str = ""  # "--token", a file path, or "" when there is no token

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"


def _checked_token(token: str, source: str) -> str:
    text = token.strip()
    if not MIN_TOKEN <= len(text) <= MAX_TOKEN or any(ord(c) < 33 or ord(c) == 127
                                                      for c in text):
        raise UsageError(f"the token from {source} must be {MIN_TOKEN} to {MAX_TOKEN} "
                         "printable characters without spaces",
                         hint="make one with `python3 -c 'import secrets; "
                              "print(secrets.token_urlsafe(32))'`")
    return text


def read_token_file(path: str | Path, base: Path) -> str:
    """The token in ``path`` (relative to ``base``), its surrounding blanks dropped."""
    where = token_path(str(path), base)
    try:
        with where.open(encoding="utf-8") as handle:
            text = handle.read(MAX_TOKEN + 2)
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the token file {where}: "
                         f"{getattr(error, 'strerror', None) or error}",
                         hint="write the token into that file (chmod 600) or pass "
                              "--token-file with another path") from None
    return _checked_token(text, str(where))


def serve_options(config: SubstrateConfig, *, host: str | None, port: int | None,
                  token: str | None, token_file: str | None) -> ServeOptions:
    """The flags over the ``[serve]`` table; refuses a non-loopback host without a token."""
    table = config.table("serve")
    chosen_host = (host if host is not None else str(table["host"])).strip()
    if not chosen_host or len(chosen_host) > 253:
        raise UsageError("--host must be a host name or an IP address",
                         hint="e.g. --host 127.0.0.1")
    chosen_port = port if port is not None else int(table["port"])
    secret, source = "", ""
    if token is not None:
        secret, source = _checked_token(token, "--token"), "--token"
    elif token_file or table["token_file"]:
        path = token_file or str(table["token_file"])
        secret, source = read_token_file(path, config.root), path
    if not secret and not is_loopback(chosen_host):
        raise UsageError(f"refusing to listen on {chosen_host} without a token: anyone who "
                         "can reach it could read the fleet and resolve decisions",
                         hint="pass --token-file FILE (or set [serve] token_file), or "
                              "listen on 127.0.0.1")
    return ServeOptions(chosen_host, chosen_port, secret, source)


class AddressUnavailableError(DosError):
    """The host and port cannot be bound: taken by another process, or not this machine's."""

    exit_code = 3


class WebUnavailableError(DosError):
    """The ``[web]`` extra (Starlette, uvicorn) is not installed."""

    exit_code = 4


def bind(options: ServeOptions) -> socket.socket:
    """A listening socket on the host and port (the server takes it over)."""
    try:
        found = socket.getaddrinfo(options.host, options.port, type=socket.SOCK_STREAM)
        family, kind, proto, _name, address = found[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise AddressUnavailableError(f"cannot resolve {options.host}: {error}",
                                 hint="pass --host with an address of this machine") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        taken = error.errno == errno.EADDRINUSE
        raise AddressUnavailableError(
            f"cannot listen on {options.host}:{options.port}: "
            f"{'the port is taken' if taken else error.strerror or error}",
            hint="pass --port with a free port (or stop what holds it)" if taken else
                 "pass --host with an address of this machine") from None
    return sock
