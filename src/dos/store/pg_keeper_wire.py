"""The PostgreSQL protocol as the session keeper speaks it: a client's startup packet read
(bounded), the reply a server gives a client it lets in, and a scanner that knows where
each message ends in a stream of them.

Pure byte handling: no sockets, no sessions (see :mod:`dos.store.pg_keeper`).
"""

from __future__ import annotations

from struct import pack, unpack_from

__all__ = ["MAX_STARTUP", "Answers", "Frames", "StartupPacket", "error_message",
           "parse_startup", "welcome"]

MAX_STARTUP = 10_000  # bytes: the server's own limit on a startup packet
_PROTOCOL_3 = 196608
_SSL_REQUEST, _GSS_REQUEST, _CANCEL_REQUEST = 80877103, 80877104, 80877102
# A client's message may carry a large parameter; nothing dos sends comes near this.
MAX_MESSAGE = 256 << 20


class StartupPacket:
    """What a client's first packet asked for: ``kind`` is ``startup`` (with ``params``),
    ``ssl`` or ``gss`` (encryption the keeper declines), or ``cancel``."""

    __slots__ = ("kind", "params")

    def __init__(self, kind: str, params: dict[str, str] | None = None) -> None:
        self.kind, self.params = kind, params or {}


def parse_startup(packet: bytes) -> StartupPacket:
    """The packet after its length word; ValueError when it is not one a server accepts."""
    if len(packet) < 4:
        raise ValueError("a startup packet shorter than its protocol code")
    code = unpack_from("!I", packet)[0]
    if code == _SSL_REQUEST and len(packet) == 4:
        return StartupPacket("ssl")
    if code == _GSS_REQUEST and len(packet) == 4:
        return StartupPacket("gss")
    if code == _CANCEL_REQUEST:
        return StartupPacket("cancel")
    if code != _PROTOCOL_3:
        raise ValueError(f"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}")
    body = packet[4:]
    if not body.endswith(b"\x00"):
        raise ValueError("a startup packet that does not end with its terminator")
    items = body[:-1]  # name\0value\0 ... (each string ends with its NUL)
    if items and not items.endswith(b"\x00"):
        raise ValueError("a startup parameter that does not end with its NUL")
    words = items[:-1].split(b"\x00") if items else []
    if len(words) % 2:
        raise ValueError("a startup parameter without a value")
    params: dict[str, str] = {}
    for name, value in zip(words[::2], words[1::2], strict=True):
        key = name.decode("utf-8")  # UnicodeDecodeError is a ValueError
        if not key or key in params:
            raise ValueError(f"an empty or repeated startup parameter {key!r}")
        params[key] = value.decode("utf-8")
    return StartupPacket("startup", params)


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + pack("!I", len(body) + 4) + body


def welcome(server: dict[str, str], backend_pid: int) -> bytes:
    """What a server sends a client it lets in: authentication done, its parameters,
    the backend's id, ready for queries."""
    parts = [_message(b"R", pack("!I", 0))]
    parts += [_message(b"S", name.encode() + b"\x00" + value.encode() + b"\x00")
              for name, value in server.items()]
    parts.append(_message(b"K", pack("!II", backend_pid & 0xFFFFFFFF, 0)))
    parts.append(_message(b"Z", b"I"))
    return b"".join(parts)


def error_message(text: str, code: str = "08004") -> bytes:
    """An ErrorResponse a client reads as the server's refusal (SQLSTATE ``code``)."""
    fields = b"".join(tag + value.encode("utf-8") + b"\x00" for tag, value in (
        (b"S", "FATAL"), (b"V", "FATAL"), (b"C", code), (b"M", text)))
    return _message(b"E", fields + b"\x00")


class Frames:
    """Where messages end in one direction of a session's byte stream.

    :meth:`feed` takes bytes as they arrive and returns the whole messages among them
    (type byte and body) once each is complete; :attr:`at_boundary` says nothing is
    half-received. Lengths are bounded: an impossible one raises ValueError.
    """

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def at_boundary(self) -> bool:
        return not self._buffer

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        found: list[tuple[int, bytes]] = []
        while len(self._buffer) >= 5:
            length = unpack_from("!I", self._buffer, 1)[0]
            if length < 4 or length > MAX_MESSAGE:
                raise ValueError(f"a message length of {length} bytes")
            if len(self._buffer) < length + 1:
                break
            found.append((self._buffer[0], bytes(self._buffer[:length + 1])))
            del self._buffer[:length + 1]
        return found


class Answers:
    """The server's side of a session, followed without keeping it: how many
    ReadyForQuery messages went by, the last one's transaction status, and whether the
    stream stands between messages. The bytes themselves are relayed untouched."""

    __slots__ = ("_header", "_left", "ready", "status")

    def __init__(self) -> None:
        self._header = b""  # the start of a message header not complete yet
        self._left = 0  # bytes of the current message's body still to come
        self.ready = 0
        self.status = "I"

    @property
    def at_boundary(self) -> bool:
        return not self._header and self._left == 0

    def feed(self, data: bytes) -> None:
        position, size = 0, len(data)
        while position < size:
            if self._left:
                step = min(self._left, size - position)
                self._left -= step
                position += step
                continue
            need = 5 - len(self._header)
            self._header += data[position:position + need]
            position += need
            if len(self._header) < 5:
                return
            kind, length = self._header[0], unpack_from("!I", self._header, 1)[0]
            if length < 4 or length > (1 << 30) + 64:
                raise ValueError(f"a message length of {length} bytes from the server")
            self._header, self._left = b"", length - 4
            if kind == ord("Z"):
                if self._left != 1 or position >= size:
                    self._pending_status()
                else:
                    self.status = chr(data[position])
                    self.ready += 1

    def _pending_status(self) -> None:
        """A ReadyForQuery whose status byte is in the next chunk (or malformed): count
        it, and keep the last status known ("T": not reusable until the next one)."""
        self.ready += 1
        self.status = "T"
