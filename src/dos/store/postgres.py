"""The shared store: one PostgreSQL database, many workspaces, many machines.

Writers of one workspace serialise on ``pg_advisory_xact_lock`` taken first in
their transaction; the server releases it at commit, at abort, or when the client
dies. Liveness is judged by the server's clock. A connection that failed is
dropped, so the next transaction reconnects; a failed transaction leaves nothing.
"""

from __future__ import annotations

from dos.errors import StoreBusyError, StoreError
from dos.store import postgres_conn
from dos.store.pgwire import errors as pg_errors
from dos.store.pgwire.params import literal
from dos.store.postgres_schema import MIGRATIONS, latest_version
from dos.store.postgres_tx import PostgresTx

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any

    from dos.store.postgres_api import PgConnection

__all__ = ["PostgresStore"]

_LATEST = latest_version()
_MIGRATE_LOCK = "dos schema migration"
_CLOCK = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
# One round trip each: the lock comes first, then the clock that stamps the writes.
# The schema version and the workspace's row ride along: a new connection needs no
# round trip of its own to check them, a kept one notices a newer dos's migration.
# Both honour [store] busy_timeout_ms: a lock wait (the workspace's advisory lock, a row
# or a table another session holds) ends as STORE_BUSY instead of hanging.
_TIMEOUTS = "SET LOCAL lock_timeout = {timeout}; SET LOCAL statement_timeout = {statement}; "
_BEGIN_WRITE = (
    "BEGIN ISOLATION LEVEL READ COMMITTED; " + _TIMEOUTS + "{durability}"  # noqa: S608 - constant
    "SELECT {clock}, EXISTS (SELECT 1 FROM dos_workspaces WHERE workspace = {ws}), "
    "(SELECT version FROM dos_schema) "
    "FROM (SELECT pg_advisory_xact_lock(hashtextextended({ws}, 0))) AS locked")
_BEGIN_READ = (
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; " + _TIMEOUTS +  # noqa: S608 - constant
    "SELECT {clock}, EXISTS (SELECT 1 FROM dos_workspaces WHERE workspace = {ws}), "
    "(SELECT version FROM dos_schema)")
_CREATE_WORKSPACE = ("INSERT INTO dos_workspaces (workspace, created_ms) VALUES "  # noqa: S608
                     f"(%s, {_CLOCK}) ON CONFLICT (workspace) DO NOTHING")
# A write whose commit need not wait for the WAL flush says so as it begins.
_NOT_DURABLE = "SET LOCAL synchronous_commit = off; "
# A new connection's opening statement that fails so is not retried the careful way:
# the schema is not why, and waiting again would double the busy timeout.
_BUSY = (pg_errors.LockNotAvailable, pg_errors.QueryCanceled)


class PostgresStore:
    """The dos store of one workspace inside a shared PostgreSQL database."""

    def __init__(self, url: str, *, workspace_id: str, busy_timeout_ms: int = 5000,
                 root: str | None = None) -> None:
        if not workspace_id:
            raise StoreError("a PostgreSQL store needs a workspace id",
                             hint="set [store] workspace_id in dos.toml")
        self.url = url
        self.workspace_id = workspace_id
        self.busy_timeout_ms = busy_timeout_ms
        # The journal's head is witnessed in the workspace's own .dos/ (see store.head):
        # a table in the same database is in reach of whoever edits the journal.
        self.head_path = None if root is None else postgres_conn.head_path(root, workspace_id)
        self.head_store = postgres_conn.head_identity(url, workspace_id)
        self._conn: PgConnection | None = None

    @property
    def shown_url(self) -> str:
        from dos.store.urls import redact_url  # hashing and regexes: for messages only

        return redact_url(self.url)

    def error(self, exc: pg_errors.Error) -> StoreError:
        """The dos error for a driver error; a broken connection is dropped."""
        from dos.store.urls import scrub

        text = str(exc).strip()
        detail = scrub(text.splitlines()[0], self.url) if text else type(exc).__name__
        if isinstance(exc, pg_errors.LockNotAvailable):
            return StoreBusyError(
                f"workspace {self.workspace_id!r} stayed locked by another session in "
                f"{self.shown_url} for more than {self.busy_timeout_ms} ms",
                hint="retry; if it persists raise [store] busy_timeout_ms in dos.toml")
        if isinstance(exc, pg_errors.QueryCanceled):
            return StoreBusyError(
                f"the PostgreSQL store {self.shown_url} did not answer workspace "
                f"{self.workspace_id!r} within "
                f"{postgres_conn.statement_timeout_ms(self.busy_timeout_ms)} ms",
                hint="retry; if it persists raise [store] busy_timeout_ms in dos.toml")
        if isinstance(exc, pg_errors.OperationalError | pg_errors.InterfaceError):
            self._drop()
            return StoreError(
                f"the PostgreSQL store {self.shown_url} cannot be reached: {detail}",
                hint=f"check that the server behind {self.shown_url} is running and "
                     "reachable, or point [store] url / DOS_STORE_URL at one; "
                     "`dos store status` checks it")
        return StoreError(f"the PostgreSQL store {self.shown_url} refused: {detail}",
                          hint="run `dos store status`; `dos store migrate` brings an old "
                               "schema up to date")

    def exists(self) -> bool:
        """Whether this workspace has a store in the database (the server must answer)."""
        if postgres_conn.known_workspace(self.url, self.workspace_id):
            return True
        conn = self._connection_if_any(create=False)
        if conn is None:
            return False
        try:
            row = conn.execute("SELECT 1 FROM dos_workspaces WHERE workspace = %s",
                               (self.workspace_id,)).fetchone()
        except pg_errors.Error as exc:
            raise self.error(exc) from None
        if row is not None:
            postgres_conn.mark_workspace(self.url, self.workspace_id)
        return row is not None

    def transaction(self, *, write: bool, durable: bool = True) -> _Transaction:
        return _Transaction(self, write=write, durable=durable, optional=False)

    def transaction_if_exists(self, *, write: bool,
                              durable: bool = True) -> _Transaction:
        """``transaction``, or None when this workspace has no store yet (nothing is
        created). The transaction's opening statement answers both: no round trip for
        ``exists()`` first."""
        return _Transaction(self, write=write, durable=durable, optional=True)

    def _commit(self, conn: PgConnection, tx: PostgresTx) -> None:
        """Commit a transaction whose body ended well (a rollback if that fails)."""
        try:
            conn.execute("COMMIT")
        except pg_errors.Error as exc:
            error = self.error(exc)
            self._rollback()
            raise error from None
        except BaseException:
            self._rollback()
            raise
        if tx.appended is not None and self.head_path is not None:
            from dos.store.head import Head, advance_head

            advance_head(self.head_path, Head(self.head_store, *tx.appended))

    def _begun(self, *, write: bool, durable: bool,
               create: bool) -> tuple[PgConnection, int] | None:
        """A connection inside a new transaction, and the server's clock at its start;
        None when the workspace has no store and ``create`` is off. A kept connection
        the server dropped since (a restart) is replaced once: nothing was sent on it
        yet. A new one goes straight to the transaction (see _first_begun)."""
        conn = self._kept_connection()
        if conn is None:
            return self._first_begun(write=write, durable=durable, create=create)
        try:
            row = self._begin(conn, write=write, durable=durable)
        except pg_errors.Error as exc:
            if conn.broken or conn.closed:
                self._drop()
                return self._begun(write=write, durable=durable, create=create)
            raise self._failed(exc) from None
        except BaseException:
            self._rollback()
            raise
        return self._opened(conn, row, write=write, durable=durable, create=create)

    def _first_begun(self, *, write: bool, durable: bool,
                     create: bool) -> tuple[PgConnection, int] | None:
        """``_begun`` on a new connection, whose schema nobody has checked: the opening
        statement reads the schema version and the workspace's row anyway. Only when it
        cannot answer for this dos (no schema, another version, any refusal but a busy
        store or a lost connection) is the schema checked the careful way, as a new
        connection always was, and the transaction begun again (_checked_begun): an
        absent, old or newer schema ends exactly as it did."""
        conn = self._conn = self._new_connection()
        try:
            row = self._begin(conn, write=write, durable=durable)
        except pg_errors.Error as exc:
            if conn.broken or conn.closed or isinstance(exc, _BUSY):
                error = self._failed(exc)
                self._drop()  # never kept unchecked
                raise error from None
            row = None
        except BaseException:
            self._drop()
            raise
        if row is None or row[2] != _LATEST:
            return self._checked_begun(conn, write=write, durable=durable, create=create)
        return self._opened(conn, row, write=write, durable=durable, create=create)

    def _checked_begun(self, conn: PgConnection, *, write: bool, durable: bool,
                       create: bool) -> tuple[PgConnection, int] | None:
        """The opening statement undone, the schema checked (made when ``create``,
        upgraded, or refused), and the transaction begun again; None when there is no
        schema and ``create`` is off."""
        self._conn = None
        try:
            conn.execute("ROLLBACK")  # the opening statement changed nothing
        except pg_errors.Error as exc:
            conn.close()
            raise self.error(exc) from None
        if not self._schema_checked(conn, create=create):
            return None
        self._conn = conn
        row = self._begin_reported(conn, write=write, durable=durable)
        return self._opened(conn, row, write=write, durable=durable, create=create)

    def _begin_reported(self, conn: PgConnection, *, write: bool, durable: bool,
                        make_workspace: bool = False) -> tuple[Any, ...] | None:
        """``_begin`` (after creating the workspace's row, when asked) on a connection whose
        schema was checked: a database error is the store's, anything else rolls back."""
        try:
            if make_workspace:
                conn.execute(_CREATE_WORKSPACE, (self.workspace_id,))
            return self._begin(conn, write=write, durable=durable)
        except pg_errors.Error as exc:
            raise self._failed(exc) from None
        except BaseException:
            self._rollback()
            raise

    def _opened(self, conn: PgConnection, row: tuple[Any, ...] | None, *, write: bool,
                durable: bool, create: bool,
                created: bool = False) -> tuple[PgConnection, int] | None:
        """The transaction the opening statement's ``row`` (clock, workspace row found,
        schema version) describes, on a connection whose schema was checked; None when
        the workspace has no row and ``create`` is off. The first write creates it
        outside the transaction, like an embedded store's file: even if that write then
        fails."""
        version = row[2] if row else None
        if row is None or version != _LATEST:
            self._rollback()
            self._drop()  # a fresh connection migrates, or refuses a newer schema
            if isinstance(version, int) and version > _LATEST:
                raise self._too_new(version)
            raise StoreError(f"the schema of {self.shown_url} changed under this connection",
                             hint="retry; the next call reconnects and checks it")
        if row[1] or created:
            postgres_conn.mark_workspace(self.url, self.workspace_id)
            return conn, int(row[0])
        self._rollback()
        if not create:
            return None
        row = self._begin_reported(conn, write=write, durable=durable, make_workspace=True)
        return self._opened(conn, row, write=write, durable=durable, create=False,
                            created=True)

    def _begin(self, conn: PgConnection, *, write: bool,
               durable: bool) -> tuple[Any, ...] | None:
        """Open the transaction; its opening statement's row (see _opened)."""
        query = (_BEGIN_WRITE if write else _BEGIN_READ).format(
            clock=_CLOCK, ws=literal(self.workspace_id),
            durability="" if durable else _NOT_DURABLE,
            timeout=postgres_conn.lock_timeout_ms(self.busy_timeout_ms),
            statement=postgres_conn.statement_timeout_ms(self.busy_timeout_ms))
        cursor = conn.execute(query)
        while cursor.nextset():
            pass
        return cursor.fetchone()

    def _failed(self, exc: pg_errors.Error) -> StoreError:
        """The dos error for ``exc``, the transaction it left rolled back."""
        error = self.error(exc)
        self._rollback()
        return error

    def migrate(self) -> int:
        """Bring the database's schema up to date; the version it is at."""
        self._connection(create=True)
        return _LATEST

    def schema_version(self) -> int | None:
        """The database's schema version, or None when it holds no dos schema."""
        try:
            conn = postgres_conn.open_connection(self.url, self.busy_timeout_ms)
        except pg_errors.ProgrammingError as exc:
            raise postgres_conn.malformed_url(self.url, self.shown_url, exc) from None
        except pg_errors.Error as exc:
            raise self.error(exc) from None
        try:
            return _schema_version(conn)
        except pg_errors.Error as exc:
            raise self.error(exc) from None
        finally:
            conn.close()

    def integrity_problems(self, *, thorough: bool = True) -> list[str]:  # noqa: ARG002
        # Every check here is a catalog read or an indexed min/max: thorough or not.
        from dos.store.postgres_admin import integrity_problems

        conn = self._connection_if_any(create=False)
        if conn is None:
            return []
        try:
            return integrity_problems(conn, self.workspace_id)
        except pg_errors.Error as exc:
            raise self.error(exc) from None

    def reclaim_space(self) -> int:
        from dos.store.postgres_admin import vacuum_journal

        conn = self._connection(create=False)
        try:
            return vacuum_journal(conn)
        except pg_errors.Error as exc:
            raise self.error(exc) from None

    def erase(self) -> int:
        """Delete every row of this workspace (journal included); the rows deleted."""
        from dos.store.postgres_admin import erase_workspace

        conn = self._connection(create=False)
        try:
            erased = erase_workspace(conn, self.workspace_id)
        except pg_errors.Error as exc:
            raise self.error(exc) from None
        if self.head_path is not None:
            from dos.store.head import forget_head

            forget_head(self.head_path)  # its history is gone on purpose
        return erased

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            postgres_conn.give_back(self.url, conn)

    # connections

    def _connection(self, *, create: bool) -> PgConnection:
        conn = self._connection_if_any(create=create)
        if conn is None:
            raise self._missing()
        return conn

    def _missing(self) -> StoreError:
        return StoreError(
            f"there is no store for workspace {self.workspace_id!r} in {self.shown_url} yet",
            hint="the first write verb (such as `dos lease-lane acquire`) creates it; "
                 "`dos store migrate` creates the schema")

    def _connection_if_any(self, *, create: bool) -> PgConnection | None:
        """The open connection, a kept one, or a new one with the schema checked (and
        made or upgraded); None when the database holds no dos schema and ``create``
        is off."""
        conn = self._kept_connection()
        if conn is not None:
            return conn
        conn = self._new_connection()
        if not self._schema_checked(conn, create=create):
            return None
        self._conn = conn
        return conn

    def _kept_connection(self) -> PgConnection | None:
        """The open connection, or the one kept for this URL; both had their schema
        checked (a connection is kept only once it has)."""
        if self._conn is not None and not (self._conn.closed or self._conn.broken):
            return self._conn
        self._drop()
        self._conn = postgres_conn.take(self.url)
        return self._conn

    def _new_connection(self) -> PgConnection:
        try:
            return postgres_conn.open_connection(self.url, self.busy_timeout_ms)
        except pg_errors.ProgrammingError as exc:
            raise postgres_conn.malformed_url(self.url, self.shown_url, exc) from None
        except pg_errors.Error as exc:
            raise self.error(exc) from None

    def _schema_checked(self, conn: PgConnection, *, create: bool) -> bool:
        """Whether the database behind the new connection ``conn`` holds this dos's
        schema, made (when ``create``) or upgraded first; False when it holds none.
        ``conn`` is closed when this says False or fails."""
        try:
            version = _schema_version(conn)
            if version is None and not create:
                conn.close()
                return False
            if version != _LATEST:
                self._migrate(conn, version)
        except pg_errors.Error as exc:
            conn.close()
            raise self.error(exc) from None
        except BaseException:
            conn.close()
            raise
        return True

    def _migrate(self, conn: PgConnection, seen: int | None) -> None:
        if seen is not None and seen > _LATEST:
            raise self._too_new(seen)
        # A session lock around a fresh transaction: a transaction begun after the
        # lock sees the catalog as another migrator left it.
        conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (_MIGRATE_LOCK,))
        try:
            with conn.transaction():
                conn.execute("SET LOCAL statement_timeout = 0")  # DDL on a long history
                current = _schema_version(conn)
                if current is None:
                    conn.execute("CREATE TABLE dos_schema (version integer NOT NULL)")
                    conn.execute("INSERT INTO dos_schema (version) VALUES (0)")
                    current = 0
                if current > _LATEST:
                    raise self._too_new(current)
                for statements in MIGRATIONS[current:]:
                    for statement in statements:
                        conn.execute(statement)
                conn.execute("UPDATE dos_schema SET version = %s", (_LATEST,))
        finally:
            if not (conn.closed or conn.broken):
                conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))",
                             (_MIGRATE_LOCK,))

    def _too_new(self, version: int) -> StoreError:
        return StoreError(f"the store {self.shown_url} has schema version {version}; this "
                          f"dos knows versions up to {_LATEST}",
                          hint="upgrade dos (pip install -U dispatch-os)")

    def _rollback(self) -> None:
        conn = self._conn
        if conn is None or conn.closed:
            return
        try:
            conn.execute("ROLLBACK")
        except pg_errors.Error:
            self._drop()  # closing discards the transaction; the original error wins

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


def _schema_version(conn: PgConnection) -> int | None:
    row = conn.execute("SELECT to_regclass('dos_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT version FROM dos_schema").fetchone()
    if found is None:
        raise StoreError("the dos_schema table is empty",
                         hint="the database was altered by hand; restore it from a backup")
    return int(found[0])


class _Transaction:
    """One transaction as a with-block (not ``contextlib``, which costs every verb on a
    PostgreSQL store start-up time): begun on entry — the transaction, or None from
    ``transaction_if_exists`` when the workspace has no store —, committed when the body
    ends well, rolled back when it raises (a database error reported as the store's)."""

    __slots__ = ("_begun", "_durable", "_optional", "_store", "_write")

    def __init__(self, store: PostgresStore, *, write: bool, durable: bool,
                 optional: bool) -> None:
        self._store, self._write, self._durable = store, write, durable
        self._optional = optional  # no store yet: None (else the store's "missing" error)
        self._begun: tuple[PgConnection, PostgresTx] | None = None

    def __enter__(self) -> Any:
        store = self._store
        # a write creates the workspace's store; transaction_if_exists never does
        create = self._write and not self._optional
        begun = store._begun(write=self._write, durable=self._durable, create=create)
        if begun is None:
            if not self._optional:
                raise store._missing()
            return None
        conn, clock_ms = begun
        tx = PostgresTx(conn, store.workspace_id, clock_ms)
        self._begun = (conn, tx)
        return tx

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        begun, self._begun = self._begun, None
        if begun is None:
            return
        if kind is None:
            self._store._commit(*begun)
            return
        if isinstance(error, pg_errors.Error):
            failed = self._store.error(error)
            self._store._rollback()
            raise failed from None
        self._store._rollback()
