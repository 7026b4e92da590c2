"""Opening a session: the socket, the SSLRequest that sslmode=prefer sends (a server
that wants TLS is left to psycopg), the startup message and authentication. A session
keeper of the store (``dos store keep``) is asked first, when its socket is there.

Failures read as psycopg's do: ``connection failed: connection to server at "HOST",
port N failed: WHY``.
"""

from __future__ import annotations

import _socket
import time

from dos.store.pgwire import frames
from dos.store.pgwire.errors import OperationalError, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dos.store.pgwire.target import Target

__all__ = ["Session", "open_session"]

_NO_SIGNAL = getattr(_socket, "MSG_NOSIGNAL", 0)
_KEEPER_WAIT_S = 2.0  # a keeper slower than this to lend a session is passed over
_REFUSED_TCP = "\n\tIs the server running on that host and accepting TCP/IP connections?"
_REFUSED_UNIX = "\n\tIs the server running locally and accepting connections on that socket?"


class Session:
    """An authenticated socket, ready for queries."""

    __slots__ = ("backend_pid", "reader", "server", "sock", "status")

    def __init__(self, sock: _socket.socket, reader: frames.Reader) -> None:
        self.sock, self.reader = sock, reader
        self.server: dict[str, str] = {}
        self.backend_pid = 0
        self.status = "I"

    def send(self, data: bytes) -> None:
        """Write ``data`` whole; a closed peer is an error, never a SIGPIPE (as libpq)."""
        self.sock.sendall(data, _NO_SIGNAL)

    def note(self, body: bytes) -> None:
        """Remember a ParameterStatus the server reported."""
        name, value, _ = body.split(b"\x00", 2)
        self.server[name.decode()] = value.decode("utf-8", "replace")


def open_session(target: Target, *, keeper: bool = True) -> Session:
    """A session with ``target``'s server (lent by its keeper, when one is running and
    ``keeper`` allows); raises OperationalError, or Unsupported when only psycopg can go
    on (TLS, an auth method or password source it has)."""
    deadline = None if target.timeout_s is None else time.monotonic() + target.timeout_s
    failure: OperationalError | None = None
    kept = _keeper(target) if keeper else None
    if kept is not None:  # `dos store keep` lends a warm session; else the server itself
        limit = time.monotonic() + _KEEPER_WAIT_S
        try:
            return _attempt(target, _socket.AF_UNIX, kept,
                            limit if deadline is None else min(limit, deadline))
        except (OperationalError, TimeoutError):
            pass  # a keeper that refuses, hangs or is gone: the server, within the deadline
    for family, address, shown in _addresses(target):
        try:
            return _attempt(target, family, address, deadline)
        except TimeoutError:
            raise OperationalError("connection timeout expired") from None
        except OperationalError as exc:
            failure = OperationalError(f"connection failed: {shown} failed: {exc}")
    assert failure is not None  # noqa: S101 - _addresses yields at least one
    raise failure


def _keeper(target: Target) -> str | None:
    from dos.store.pg_keeper_path import trusted_socket

    return trusted_socket(target)


def _addresses(target: Target) -> list[tuple[int, Any, str]]:
    if target.host.startswith("/"):
        path = f"{target.host.rstrip('/')}/.s.PGSQL.{target.port}"
        return [(_socket.AF_UNIX, path, f'connection to server on socket "{path}"')]
    # An ASCII name as bytes: a str goes through the idna codec (and unicodedata).
    host = target.host.encode() if target.host.isascii() else target.host
    try:
        found = _socket.getaddrinfo(host, target.port, 0, _socket.SOCK_STREAM)
    except OSError as exc:
        raise OperationalError(f"failed to resolve host {target.host!r}: {exc}") from None
    return [(family, address, f'connection to server at "{address[0]}", port {target.port}')
            for family, _, _, _, address in found]


def _attempt(target: Target, family: int, address: Any, deadline: float | None) -> Session:
    sock = _socket.socket(family, _socket.SOCK_STREAM)
    try:
        sock.settimeout(_left(deadline))
        _connect(sock, address, unix=family == _socket.AF_UNIX)
        if family != _socket.AF_UNIX:
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
            sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_KEEPALIVE, 1)
        session = Session(sock, frames.Reader(sock))
        if family != _socket.AF_UNIX and target.sslmode == "prefer":
            _decline_tls(session)
        from dos.store.pgwire.handshake import handshake

        handshake(session, target, deadline)
        sock.settimeout(None)  # queries wait like libpq's; the server's timeouts bound them
    except BaseException:
        sock.close()
        raise
    return session


def _connect(sock: _socket.socket, address: Any, *, unix: bool) -> None:
    try:
        sock.connect(address)
    except TimeoutError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OperationalError(reason + (_REFUSED_UNIX if unix else _REFUSED_TCP)) from None


def _decline_tls(session: Session) -> None:
    """Ask for TLS as sslmode=prefer does; a server that says yes goes to psycopg."""
    session.send(frames.SSL_REQUEST)
    answer = session.reader.byte()
    if answer == ord("S"):
        raise Unsupported("the server offers TLS")
    if answer != ord("N"):
        raise OperationalError(f"received invalid response to SSL negotiation: {chr(answer)}")


def _left(deadline: float | None) -> float | None:
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
