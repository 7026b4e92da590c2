"""SQLite connections the ``dos`` command's process keeps open from one transaction to the
next, instead of closing and reopening the same file.

A short verb opens the store for its own transaction, then again to journal its verdict.
Each close of the last connection checkpoints the write-ahead log (two fsyncs) and
deletes it, and each open creates it again (one more fsync, of the directory): half of
a lease-lane acquire's disk waits. Once :func:`keep` is called — only by the dos command's
own process, never by a program that imports dos — a store's ``close`` hands its idle
connection here and the next store opened on the same file takes it back.

A kept connection is handed out again only when it is safe to:

- it has no transaction open (a close mid-transaction closes it for real);
- the file at the path is still the one it opened (same device and inode: a store
  replaced or deleted since gets a fresh connection);
- it is asked for by the same thread.

The dos command releases them as soon as its verb and the verb's journal record are
done (``dos.cli.main``), so a connection is kept open only while the verb runs — as
long as before, plus the moment between the verb's close and the journal's open — and
the log is checkpointed once. An ``atexit`` callback is the backstop. Code that deletes
a store's files releases them first (``dos.store.transfer.erase_store``): a kept
connection must never checkpoint into, or delete the log of, the file that comes next.
"""

from __future__ import annotations

import os
from _thread import get_ident  # (threading costs start-up time)

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    import sqlite3

__all__ = ["keep", "keeping", "put", "release", "take"]

_ON = [False]
# path -> (connection, (device, inode) it opened, busy timeout in ms, thread id)
_KEPT: dict[str, tuple[sqlite3.Connection, tuple[int, int], int, int]] = {}
_REGISTERED = [False]


def keep() -> None:
    """From now on, keep idle SQLite store connections open until the process ends."""
    _ON[0] = True


def keeping() -> bool:
    return _ON[0]


def identity(path: str) -> tuple[int, int] | None:
    """The (device, inode) of the file at ``path``; None when there is none."""
    try:
        found = os.stat(path)  # noqa: PTH116 - pathlib costs start-up time
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def put(path: str, conn: sqlite3.Connection, opened: tuple[int, int] | None,
        busy_timeout_ms: int) -> bool:
    """Keep ``conn`` for the next store on ``path``; False (the caller closes it) when
    keeping is off, it is mid-transaction, or one is kept for ``path`` already."""
    if not _ON[0] or opened is None or conn.in_transaction or path in _KEPT:
        return False
    if not _REGISTERED[0]:
        import atexit

        atexit.register(release)
        _REGISTERED[0] = True
    _KEPT[path] = (conn, opened, busy_timeout_ms, get_ident())
    return True


def take(path: str, busy_timeout_ms: int) -> tuple[sqlite3.Connection, tuple[int, int]] | None:
    """The connection kept for ``path`` and what it opened, if it is still the file
    there and this is its thread; None otherwise (a stale one is closed)."""
    found = _KEPT.pop(path, None)
    if found is None:
        return None
    conn, opened, timeout, thread = found
    if thread != get_ident() or identity(path) != opened:
        conn.close()
        return None
    if timeout != busy_timeout_ms:
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        except Exception:  # noqa: BLE001 - not usable after all: the caller opens afresh
            conn.close()
            return None
    return conn, opened


def release() -> None:
    """Close every kept connection (each checkpoints its log)."""
    while _KEPT:
        _, (conn, *_rest) = _KEPT.popitem()
        conn.close()
