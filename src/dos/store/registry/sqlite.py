"""The registry in one SQLite file under DOS_HOME (WAL, one writer at a time)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from dos.errors import StoreBusyError, StoreError
from dos.store.registry.schema import migrations
from dos.store.registry.tx import RegistryTx

__all__ = ["SqliteRegistry"]

_MIGRATIONS = migrations("", "INTEGER")
_HINT = ("dos left the file as it is; move it aside to start an empty registry "
         "(`dos reindex` cannot bring back the history of projects not registered again)")


class SqliteRegistry:
    """The registry file at ``path``."""

    def __init__(self, path: str, *, busy_timeout_ms: int = 5000) -> None:
        self.path = os.fspath(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.shown = self.path

    def exists(self) -> bool:
        return os.path.exists(self.path)  # noqa: PTH110

    @contextmanager
    def transaction(self, *, write: bool, owner: str) -> Iterator[RegistryTx | None]:
        """One transaction as ``owner``; None for a read when there is no registry yet
        (reads never create it)."""
        if not write and not self.exists():
            yield None
            return
        conn = self._connect(create=write)
        try:
            current = _version(conn) == len(_MIGRATIONS)
            # an old or new file is migrated under the write lock, even by a reader
            conn.execute("BEGIN" if current and not write else "BEGIN IMMEDIATE")
            if not current:
                self._migrate(conn)
            yield RegistryTx(_runner(conn), "", owner)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        try:
            if create:
                os.makedirs(os.path.dirname(self.path) or ".", mode=0o700, exist_ok=True)  # noqa: PTH103, PTH120
            conn = sqlite3.connect(self.path, isolation_level=None,
                                   timeout=self.busy_timeout_ms / 1000)
            conn.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"the project registry {self.path} cannot be opened: {exc}",
                             hint="check that DOS_HOME is a writable directory") from None
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = _version(conn)
        if version is None:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{self.path} is an SQLite database but not a dos registry",
                                 hint="set DOS_HOME to another directory, or move it aside")
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
            version = 0
        if version > len(_MIGRATIONS):
            raise StoreError(f"the project registry {self.path} has schema version {version};"
                             f" this dos knows versions up to {len(_MIGRATIONS)}",
                             hint="upgrade dos (pip install -U dispatch-os)")
        if version == len(_MIGRATIONS):
            return
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute("UPDATE schema_version SET version = ?", (len(_MIGRATIONS),))

    def _error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreBusyError(f"the project registry {self.path} stayed locked for more "
                                  f"than {self.busy_timeout_ms} ms", hint="retry")
        return StoreError(f"the project registry {self.path} cannot be used: {text}",
                          hint=_HINT)


def _version(conn: sqlite3.Connection) -> int | None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'schema_version'").fetchone() is None:
        return None
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    if row is None or not isinstance(row[0], int):
        raise sqlite3.DatabaseError("the schema_version table is damaged")
    return int(row[0])


def _runner(conn: sqlite3.Connection) -> Any:
    def run(sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        return conn.execute(sql, tuple(args)).fetchall()
    return run
