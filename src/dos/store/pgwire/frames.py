"""Protocol 3 messages: building the client's, reading the server's off a socket.

Reads are bounded: a message longer than the protocol allows, or than any answer to
dos's queries could be, ends the connection instead of growing a buffer without end.
"""

from __future__ import annotations

from struct import pack, unpack_from

from dos.store.pgwire.errors import OperationalError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _socket import socket
    from collections.abc import Iterable, Mapping

    from dos.store.pgwire.params import Param

__all__ = ["SSL_REQUEST", "SYNC", "TERMINATE", "ConnectionLostError", "Reader", "bind", "cstring",
           "extended", "fields", "message", "query", "startup"]

SSL_REQUEST = pack("!II", 8, 80877103)
SYNC = b"S\x00\x00\x00\x04"
TERMINATE = b"X\x00\x00\x00\x04"
_DESCRIBE_PORTAL = b"D\x00\x00\x00\x06P\x00"
_EXECUTE = b"E\x00\x00\x00\x09\x00\x00\x00\x00\x00"
# A row may hold up to 1 GB per field (the server's own limit); nothing else is long.
_MAX_ROW = 1 << 30
_MAX_OTHER = 64 << 20
_LOST = ("server closed the connection unexpectedly\n\tThis probably means the server "
         "terminated abnormally\n\tbefore or while processing the request.")


class ConnectionLostError(OperationalError):
    """The socket failed or the server hung up."""

    def __init__(self, message: str = _LOST) -> None:
        super().__init__(message)


def cstring(text: str) -> bytes:
    return text.encode("utf-8") + b"\x00"


def message(kind: bytes, body: bytes) -> bytes:
    return kind + pack("!I", len(body) + 4) + body


def startup(params: Mapping[str, str]) -> bytes:
    body = pack("!I", 196608) + b"".join(cstring(k) + cstring(v) for k, v in params.items())
    body += b"\x00"
    return pack("!I", len(body) + 4) + body


def query(sql: str) -> bytes:
    return message(b"Q", cstring(sql))


def extended(sql: str, params: Iterable[Param]) -> bytes:
    """Parse, Bind, Describe and Execute of the unnamed statement (Sync is the caller's)."""
    values = list(params)
    parse = cstring("") + cstring(sql) + pack(f"!H{len(values)}I", len(values),
                                                *(oid for oid, _, _ in values))
    return message(b"P", parse) + bind(values) + _DESCRIBE_PORTAL + _EXECUTE


def bind(values: list[Param]) -> bytes:
    parts = [b"\x00\x00", pack(f"!H{len(values)}H", len(values), *(f for _, f, _ in values)),
             pack("!H", len(values))]
    for _, _, data in values:
        parts.append(b"\xff\xff\xff\xff" if data is None else pack("!I", len(data)) + data)
    parts.append(b"\x00\x00")  # every result column as text
    return message(b"B", b"".join(parts))


def fields(body: bytes) -> dict[str, str]:
    """An ErrorResponse's or NoticeResponse's fields, by their one-letter codes."""
    found, index = {}, 0
    while index < len(body) and body[index]:
        end = body.index(b"\x00", index + 1)
        found[chr(body[index])] = body[index + 1:end].decode("utf-8", "replace")
        index = end + 1
    return found


class Reader:
    """Whole server messages from ``sock``, one at a time."""

    __slots__ = ("_buffer", "_pos", "_sock")

    def __init__(self, sock: socket) -> None:
        self._sock = sock
        self._buffer = bytearray()
        self._pos = 0

    def next(self) -> tuple[int, bytes]:
        """The next message's type byte and body; raises :class:`ConnectionLostError`."""
        self._fill(5)
        kind, length = self._buffer[self._pos], unpack_from("!I", self._buffer, self._pos + 1)[0]
        if length < 4 or length - 4 > (_MAX_ROW if kind == 0x44 else _MAX_OTHER):  # 'D'
            raise ConnectionLostError(f"invalid message length {length} from the server "
                                 f"(type {chr(kind)!r}): the connection is out of step")
        self._fill(length + 1)
        start = self._pos
        self._pos += length + 1
        return kind, bytes(self._buffer[start + 5:self._pos])

    def drain(self) -> bytes:
        """The bytes received but not read yet (a relay hands them on)."""
        rest = bytes(self._buffer[self._pos:])
        del self._buffer[:]
        self._pos = 0
        return rest

    def byte(self) -> int:
        """One byte (the answer to an SSLRequest)."""
        self._fill(1)
        self._pos += 1
        return self._buffer[self._pos - 1]

    def _fill(self, wanted: int) -> None:
        missing = wanted - (len(self._buffer) - self._pos)
        if missing <= 0:
            return
        del self._buffer[:self._pos]  # only a partial message is left to move
        self._pos = 0
        while missing > 0:
            chunk = self._recv(min(1 << 20, max(65536, missing)))
            self._buffer += chunk
            missing -= len(chunk)

    def _recv(self, size: int) -> bytes:
        try:
            chunk = self._sock.recv(size)
        except TimeoutError:
            raise
        except OSError as exc:
            raise ConnectionLostError("could not receive data from server: "
                                 f"{exc.strerror or exc}") from None
        if not chunk:
            raise ConnectionLostError
        return chunk
