"""Connections to the PostgreSQL store: opening one, and keeping one idle per URL.

A process that runs many short transactions (a hook host, the MCP server, a
benchmark) would otherwise pay a server fork per transaction. Only idle,
healthy connections are kept; one the server dropped is found dead on its next
use and replaced (see ``PostgresStore._begun``). Idle connections are closed
before a fork so a child never shares a socket with its parent.
"""

from __future__ import annotations

import _thread
import atexit
import os

from dos.errors import ConfigError
from dos.store.pgwire.conninfo import parse_url
from dos.store.pgwire.errors import Error, OperationalError, ProgrammingError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.store.postgres_api import PgConnection

__all__ = [
    "give_back",
    "head_identity",
    "head_path",
    "known_workspace",
    "lock_timeout_ms",
    "malformed_url",
    "mark_workspace",
    "open_connection",
    "statement_timeout_ms",
    "take",
]

# A holder stuck inside a transaction must not freeze a fleet's admission for long.
IDLE_IN_TX_MS = 60_000
# What a statement may take beyond its lock waits before it is cancelled (STORE_BUSY):
# dos's statements touch a few rows; maintenance (migrate, vacuum, erase) lifts the bound.
_WORK_MS = 30_000


def lock_timeout_ms(busy_timeout_ms: int) -> int:
    """How long a statement waits for a lock: ``[store] busy_timeout_ms`` (0 would mean
    for ever in PostgreSQL, so at least 1)."""
    return max(1, int(busy_timeout_ms))


def statement_timeout_ms(busy_timeout_ms: int) -> int:
    """How long a statement may run at all: its lock wait plus a bounded amount of work."""
    return lock_timeout_ms(busy_timeout_ms) + _WORK_MS

_lock = _thread.allocate_lock()  # (threading costs start-up time; its Lock is this)
_idle: dict[str, PgConnection] = {}
_workspaces: set[tuple[str, str]] = set()


def connection_keywords(url: str, busy_timeout_ms: int, *,
                        application_name: str = "") -> dict[str, str]:
    """The keywords dos connects to ``url`` with, over the URL's own: session defaults,
    so that statements outside dos's transactions (the schema check, a migration's
    lock) honour the busy timeout too (each transaction sets its own), a connect
    timeout, and ``application_name`` (default ``dos:<pid>``) unless the URL names one.
    The session keeper opens its sessions with the same ones."""
    params = parse_url(url)
    extra: dict[str, str] = {
        "options": f"{params.get('options', '')} "
                   f"-c idle_in_transaction_session_timeout={IDLE_IN_TX_MS} "
                   f"-c lock_timeout={lock_timeout_ms(busy_timeout_ms)} "
                   f"-c statement_timeout={statement_timeout_ms(busy_timeout_ms)}".strip()}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = str(max(2, -(-busy_timeout_ms // 1000)))  # seconds, up
    if "application_name" not in params:
        extra["application_name"] = application_name or f"dos:{os.getpid()}"
    return extra


def open_connection(url: str, busy_timeout_ms: int) -> PgConnection:
    """A new autocommit connection; raises a ``pgwire.errors.Error`` (callers map it)."""
    from dos.store.postgres_driver import connect

    extra = connection_keywords(url, busy_timeout_ms)
    try:
        return connect(url, extra)
    except OperationalError as exc:
        if _bad_option(str(exc)):  # the URL's mistake, not an unreachable server
            raise ProgrammingError(str(exc)) from None
        raise


def malformed_url(url: str, shown: str, error: Exception) -> ConfigError:
    """The usage error for a URL the client could not even parse or take (``shown`` is the
    URL as it may be printed)."""
    from dos.store.urls import scrub

    return ConfigError(f"the store url {shown} is malformed: {scrub(str(error).strip(), url)}",
                       hint="use postgresql://user[:password]@host[:port]/dbname in "
                            "[store] url or DOS_STORE_URL")


def _bad_option(message: str) -> bool:
    """libpq's (and the wire client's) words for a URL option whose value it cannot take:
    ``sslmode=bogus``, ``port=abc``, ``port=99999``."""
    return "connection is bad: invalid " in message and (
        " value" in message or "port number" in message)


def take(url: str) -> PgConnection | None:
    """The idle connection kept for ``url``, if any (its caller owns it now)."""
    with _lock:
        conn = _idle.pop(url, None)
    if conn is not None and (conn.closed or conn.broken):
        conn.close()
        return None
    return conn


def give_back(url: str, conn: PgConnection) -> None:
    """Keep ``conn`` for the next transaction on ``url`` if it is healthy and idle."""
    if conn.closed or conn.broken or not conn.idle:
        conn.close()
        return
    with _lock:
        previous = _idle.get(url)
        _idle[url] = conn
    if previous is not None:
        previous.close()


def head_path(root: str, workspace: str) -> str:
    """Where this machine witnesses ``workspace``'s journal head: ``<root>/.dos/``,
    named by the workspace id (made safe for a file name)."""
    safe = "".join(char if char.isalnum() or char in "-_." else "_" for char in workspace)
    if safe != workspace or len(safe) > 100:
        import hashlib

        safe = f"{safe[:64]}-{hashlib.sha256(workspace.encode('utf-8')).hexdigest()[:12]}"
    return os.path.join(os.fspath(root), ".dos", f"journal-{safe}.head")  # noqa: PTH118


def head_identity(url: str, workspace: str) -> str:
    """The store a head belongs to: server, port, database and workspace (no user or
    password), so a head witnessed on another server is never compared."""
    try:
        params = parse_url(url)
    except Error:
        params = {}
    host = params.get("host") or params.get("hostaddr") or "localhost"
    return f"postgresql://{host}:{params.get('port') or 5432}/{params.get('dbname') or ''}" \
           f"#{workspace}"


def known_workspace(url: str, workspace: str) -> bool:
    with _lock:
        return (url, workspace) in _workspaces


def mark_workspace(url: str, workspace: str) -> None:
    """Remember that ``workspace`` exists on ``url`` (workspaces are never removed)."""
    with _lock:
        _workspaces.add((url, workspace))


def _close_idle() -> None:
    with _lock:
        kept = list(_idle.values())
        _idle.clear()
    for conn in kept:
        conn.close()


atexit.register(_close_idle)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_close_idle)
