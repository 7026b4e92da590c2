"""A scripted PostgreSQL server on a loopback port, for what the real test server
(trust authentication) cannot show: a password exchange, a server that hangs up
mid-answer, a message that claims to be huge.

Each accepted connection runs ``script(peer)``; :class:`Peer` reads the client's
messages and writes the server's.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Peer", "fake_server", "ready"]


class Peer:
    """One client connection, seen from the server's side."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.startup: dict[str, str] = {}

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the client hung up")
            data += chunk
        return data

    def greet(self) -> None:
        """Answer an SSLRequest with 'N', then read the startup message."""
        length, code = struct.unpack("!II", self._exactly(8))
        if code == 80877103:  # SSLRequest
            self.sock.sendall(b"N")
            length, code = struct.unpack("!II", self._exactly(8))
        pairs = self._exactly(length - 8).split(b"\x00")
        self.startup = {pairs[i].decode(): pairs[i + 1].decode()
                        for i in range(0, len(pairs) - 2, 2)}

    def read(self) -> tuple[bytes, bytes]:
        """The client's next message: its type byte and body."""
        kind = self._exactly(1)
        (length,) = struct.unpack("!I", self._exactly(4))
        return kind, self._exactly(length - 4)

    def send(self, kind: bytes, body: bytes = b"") -> None:
        self.sock.sendall(kind + struct.pack("!I", len(body) + 4) + body)

    def auth(self, code: int, extra: bytes = b"") -> None:
        self.send(b"R", struct.pack("!I", code) + extra)

    def error(self, code: str, message: str, severity: str = "FATAL") -> None:
        fields = f"S{severity}\x00V{severity}\x00C{code}\x00M{message}\x00\x00"
        self.send(b"E", fields.encode())


def ready(peer: Peer) -> None:
    """AuthenticationOk, a backend key and ReadyForQuery (idle)."""
    peer.auth(0)
    for name, value in (("server_version", "15.0"), ("client_encoding", "UTF8"),
                        ("standard_conforming_strings", "on")):
        peer.send(b"S", f"{name}\x00{value}\x00".encode())
    peer.send(b"K", struct.pack("!II", 4242, 7))
    peer.send(b"Z", b"I")


@contextmanager
def fake_server(script: Callable[[Peer], None]) -> Iterator[int]:
    """A server running ``script`` for each connection; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)  # a closed listener does not wake accept(): poll instead
    failures: list[BaseException] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(10)
            with conn:
                try:
                    script(Peer(conn))
                except (ConnectionError, OSError):
                    pass  # the client went away, as some tests make it
                except BaseException as exc:  # noqa: BLE001 - reported to the test below
                    failures.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()
    if failures:
        raise failures[0]
