"""The registry as a schema of its own (``dos_registry``) in the shared PostgreSQL
store: each user's rows apart, a machine's projects beside another's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dos.errors import StoreBusyError, StoreError
from dos.store import postgres_conn
from dos.store.pgwire import errors as pg_errors
from dos.store.registry.schema import migrations
from dos.store.registry.tx import RegistryTx
from dos.store.urls import redact_url, scrub

if TYPE_CHECKING:
    from dos.store.postgres_api import PgConnection

__all__ = ["SCHEMA", "PostgresRegistry"]

SCHEMA = "dos_registry"
_MIGRATIONS = migrations(f"{SCHEMA}.", "bigint")
# one lock id for every migrating process (the text's hash, fixed across servers)
_MIGRATE_LOCK = 0x646F735F726567  # "dos_reg"


class PostgresRegistry:
    """The registry in the database at ``url``."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 5000) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.shown = f"{redact_url(url)} (schema {SCHEMA})"

    @contextmanager
    def transaction(self, *, write: bool, owner: str) -> Iterator[RegistryTx | None]:
        """One transaction as ``owner``; None for a read when the schema does not exist
        yet (reads never create it)."""
        try:
            conn = postgres_conn.open_connection(self.url, self.busy_timeout_ms)
        except pg_errors.ProgrammingError as exc:  # the URL itself: the user's to fix
            raise postgres_conn.malformed_url(self.url, self.shown, exc) from None
        except pg_errors.Error as exc:
            raise self._error(exc) from None
        try:
            with conn.transaction():
                version = _version(conn)
                if version is None and not write:
                    yield None
                    return
                if version != len(_MIGRATIONS):
                    self._migrate(conn)
                if write:  # one writer per owner at a time: two first sightings, one row
                    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                                 (f"{SCHEMA}:{owner}",))
                yield RegistryTx(_runner(conn), f"{SCHEMA}.", owner)
        except pg_errors.Error as exc:
            raise self._error(exc) from None
        finally:
            conn.close()

    def _migrate(self, conn: PgConnection) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_version (version integer "
                     "NOT NULL)")
        version = _version(conn)
        if version is None:
            conn.execute(f"INSERT INTO {SCHEMA}.schema_version VALUES (0)")  # noqa: S608 - constant
            version = 0
        if version > len(_MIGRATIONS):
            raise StoreError(f"the project registry in {self.shown} has schema version "
                             f"{version}; this dos knows versions up to {len(_MIGRATIONS)}",
                             hint="upgrade dos (pip install -U dispatch-os)")
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute(f"UPDATE {SCHEMA}.schema_version SET version = %s",  # noqa: S608 - constant
                     (len(_MIGRATIONS),))

    def _error(self, exc: pg_errors.Error) -> StoreError:
        text = str(exc).strip()
        detail = scrub(text.splitlines()[0], self.url) if text else type(exc).__name__
        if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
            return StoreBusyError(f"the project registry in {self.shown} stayed busy: {detail}",
                                  hint="retry")
        return StoreError(f"the project registry in {self.shown} cannot be used: {detail}",
                          hint="check that the server behind DOS_STORE_URL / [store] url is "
                               "running; `dos store status` checks it")


def _version(conn: PgConnection) -> int | None:
    found = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_version",)).fetchone()
    if found is None or found[0] is None:
        return None
    row = conn.execute(f"SELECT version FROM {SCHEMA}.schema_version").fetchone()  # noqa: S608
    return int(row[0]) if row is not None else None


def _runner(conn: PgConnection) -> Any:
    def run(sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor = conn.execute(sql.replace("?", "%s"), tuple(args))
        return cursor.fetchall() if cursor.description else []
    return run
