"""A local keeper of PostgreSQL sessions (``dos store keep``).

Every ``dos`` process is short-lived, and with a PostgreSQL store each one opens a server
session: the server starts a backend and warms its caches for it, several milliseconds
of server CPU for a transaction that then takes a few hundred microseconds. The keeper
holds sessions open and lends them out. It listens on a Unix socket only its user can
reach (:mod:`dos.store.pg_keeper_path`); the wire client tries that socket first and,
when it is not there or refuses, connects to the server itself as before.

To a client the keeper looks like the server: it checks the peer is its own user, reads
the startup packet (encryption requests are declined: the socket is local), accepts only
the startup parameters of the store it keeps (anything else is refused, and the client
goes to the server directly), and replies as the server would, with the lent session's
parameters. Then it relays whole messages both ways. A session goes back to the pool
only when the client said goodbye (Terminate) with every answer delivered and nothing
half-sent either way; it is then reset — ``ROLLBACK`` if a transaction was open, then
``DISCARD ALL`` (settings, temporary tables, prepared statements, cursors, listens,
plans and session advisory locks) — and any error there closes it instead.
A client that vanishes mid-exchange takes its session with it: the server rolls back
whatever it had open, exactly as if the client had been connected directly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable

from dos.store.pg_keeper_path import private_dir, session_parameters
from dos.store.pg_keeper_wire import (
    MAX_STARTUP,
    Answers,
    Frames,
    error_message,
    parse_startup,
    welcome,
)
from dos.store.pgwire import frames
from dos.store.pgwire.errors import Error as WireError
from dos.store.pgwire.startup import Session, open_session
from dos.store.pgwire.target import Target

__all__ = ["AlreadyKeptError", "Keeper", "close_session"]

_STARTUP_TIMEOUT_S = 10.0
_IDLE_LIMIT_S = 60.0  # a lent-out-and-returned session older than this is closed
_CHUNK = 65536
# accept() failures that pass: descriptors or memory short for a moment, a client gone
_TRANSIENT_ACCEPT = frozenset((errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM,
                               errno.ECONNABORTED, errno.EINTR))


class AlreadyKeptError(Exception):
    """Another keeper already answers on the socket."""


class _Idle:
    __slots__ = ("session", "since")

    def __init__(self, session: Session) -> None:
        self.session, self.since = session, time.monotonic()


class Keeper:
    """Lends ``target``'s sessions to clients on the Unix socket ``path``."""

    def __init__(self, target: Target, path: str, *, max_idle: int = 8,
                 connect: Callable[[Target], Session] | None = None) -> None:
        self.target, self.path, self.max_idle = target, path, max_idle
        self._connect = connect or _to_the_server
        self._idle: list[_Idle] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.lent = 0  # sessions lent out, counted for the summary
        self.opened = 0  # server sessions the keeper opened
        self.discarded = 0  # sessions closed instead of lent again

    # -- the socket ---------------------------------------------------------------------

    def listen(self) -> None:
        """Create the private directory and bind the socket (a dead keeper's is replaced;
        a live one's is :class:`AlreadyKeptError`)."""
        folder = os.path.dirname(self.path)  # noqa: PTH120
        os.makedirs(folder, mode=0o700, exist_ok=True)  # noqa: PTH103
        if not private_dir(folder):  # the clients' own test: they would not trust it
            raise PermissionError(f"{folder} is not a private directory of this user")
        if os.path.lexists(self.path):
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(self.path)
            except OSError:
                os.unlink(self.path)  # noqa: PTH108 - a keeper that died without cleaning up
            else:
                raise AlreadyKeptError(self.path)
            finally:
                probe.close()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        os.chmod(self.path, 0o600)  # noqa: PTH101
        listener.listen(64)
        self._listener = listener

    def serve(self, stop: threading.Event) -> None:
        """Accept clients until ``stop`` is set; each runs on a thread of its own."""
        listener = self._listener
        if listener is None:
            raise RuntimeError("listen() first")
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError as exc:
                if stop.is_set():
                    break
                if exc.errno not in _TRANSIENT_ACCEPT:
                    raise
                time.sleep(0.1)  # out of descriptors or memory for now: the clients that
                continue  # cannot get in meanwhile connect to the server themselves
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def close(self) -> None:
        """Stop listening, remove the socket, close every idle session."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
            with contextlib.suppress(OSError):
                os.unlink(self.path)  # noqa: PTH108
        with self._lock:
            idle, self._idle = self._idle, []
        for entry in idle:
            close_session(entry.session)

    # -- the pool -----------------------------------------------------------------------

    def _take(self) -> Session:
        while True:
            with self._lock:
                entry = self._idle.pop() if self._idle else None
            if entry is None:
                session = self._connect(self.target)
                self.opened += 1
                return session
            if time.monotonic() - entry.since <= _IDLE_LIMIT_S and _quiet(entry.session):
                return entry.session
            close_session(entry.session)  # the server hung up on it, or it sat too long

    def _give(self, session: Session, status: str) -> None:
        if not _reset(session, status):
            self._discard(session)
            return
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(_Idle(session))
                return
        close_session(session)

    # -- one client ---------------------------------------------------------------------

    def _client(self, conn: socket.socket) -> None:
        try:
            self._lend(conn)
        except (OSError, ValueError, WireError):
            pass  # the client is gone or spoke nonsense: nothing of the server's is at stake
        finally:
            conn.close()

    def _lend(self, conn: socket.socket) -> None:
        if not _same_user(conn):
            return
        conn.settimeout(_STARTUP_TIMEOUT_S)
        params = _startup(conn)
        if params is None:
            return
        if session_parameters(params) != session_parameters(self.target.startup):
            conn.sendall(error_message("this dos keeper serves another store's sessions; "
                                       "connect to the server directly"))
            return
        try:
            session = self._take()
        except (OSError, WireError) as exc:
            conn.sendall(error_message(f"the dos keeper cannot reach the server: {exc}"))
            return
        self.lent += 1
        conn.settimeout(None)
        try:
            reusable, status = _relay(conn, session)
        except BaseException:
            self._discard(session)  # mid-exchange: the server rolls back the client's work
            raise
        if reusable:
            self._give(session, status)
        else:
            self._discard(session)

    def _discard(self, session: Session) -> None:
        self.discarded += 1
        close_session(session)


def _to_the_server(target: Target) -> Session:
    """A session of the server itself (never through a keeper: this one is its own)."""
    return open_session(target, keeper=False)


def _same_user(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return False  # no way to know who it is: serve nobody
    raw = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", raw)
    return bool(uid == os.getuid())


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionResetError("the client closed during startup")
        data += chunk
    return bytes(data)


def _startup(conn: socket.socket) -> dict[str, str] | None:
    """The client's startup parameters; None when it asked for something else."""
    for _ in range(3):  # an SSL and a GSS request may come first
        length = struct.unpack("!I", _read_exactly(conn, 4))[0]
        if not 8 <= length <= MAX_STARTUP:
            raise ValueError(f"a startup packet of {length} bytes")
        packet = parse_startup(_read_exactly(conn, length - 4))
        if packet.kind == "startup":
            return packet.params
        if packet.kind == "cancel":
            return None  # a cancel through the keeper is not supported: it has no key
        conn.sendall(b"N")  # no TLS or GSS on a local socket
    return None


def _relay(conn: socket.socket, session: Session) -> tuple[bool, str]:
    """Carry whole messages both ways until either side leaves; (whether the session
    may be lent again, its last transaction status)."""
    backend = session.sock
    conn.sendall(welcome(session.server, session.backend_pid) + session.reader.drain())
    upstream, downstream = Frames(), Answers()
    asked = 0  # the client's sync points (Query, Sync): each is owed a ReadyForQuery
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    poller.register(backend.fileno(), select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == conn.fileno():
                data = conn.recv(_CHUNK)
                if not data:
                    return False, downstream.status  # gone without a goodbye
                for kind, raw in upstream.feed(data):
                    if kind == ord("X"):
                        clean = downstream.ready == asked and upstream.at_boundary and \
                            downstream.at_boundary
                        return clean, downstream.status
                    session.send(raw)
                    if kind in (ord("Q"), ord("S")):
                        asked += 1
            else:
                data = backend.recv(_CHUNK)
                if not data:
                    return False, downstream.status
                conn.sendall(data)
                downstream.feed(data)


def _reset(session: Session, status: str) -> bool:
    """Bring a returned session back to a fresh one's state; False on any error."""
    # DISCARD ALL: settings, temporary tables, prepared statements, cursors, LISTENs,
    # cached plans and session advisory locks (pg_advisory_unlock_all is part of it)
    statements = (["ROLLBACK"] if status != "I" else []) + ["DISCARD ALL"]
    try:
        session.send(b"".join(frames.query(sql) for sql in statements))
        ready = 0
        while ready < len(statements):
            kind, body = session.reader.next()
            if kind == ord("E"):
                return False
            if kind == ord("Z"):
                ready += 1
                session.status = chr(body[0])
    except (OSError, WireError):
        return False
    return session.status == "I"


def _quiet(session: Session) -> bool:
    """Nothing arrived on an idle session: a server that hung up on it has said so."""
    poller = select.poll()
    poller.register(session.sock.fileno(), select.POLLIN)
    return not poller.poll(0)


def close_session(session: Session) -> None:
    """Say goodbye to the server (Terminate) and close the socket."""
    with contextlib.suppress(OSError):
        session.send(frames.TERMINATE)
    session.sock.close()
