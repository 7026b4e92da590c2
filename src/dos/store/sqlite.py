"""The embedded store: one SQLite file in WAL mode (default ``<workspace>/.dos/dos.db``).

Writers serialise on ``BEGIN IMMEDIATE``; the lock is the database's own, so a
killed writer releases it with its process and nothing waits for a timeout. A file
that is not a sound dos store is reported, never reset or recreated.
"""

from __future__ import annotations

import errno
import os
import time

from dos.errors import StoreBusyError, StoreError
from dos.store import kept_connections
from dos.store.migrations import SQLITE_MIGRATIONS, latest_version
from dos.store.sqlite_tx import SqliteTx

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path
    from types import TracebackType
else:
    try:
        # The driver itself, the same objects as the sqlite3 package's: the package only
        # adds date adapters dos never uses, and importing datetime for them costs hook
        # start-up time.
        import _sqlite3 as sqlite3
    except ImportError:  # an interpreter that keeps the driver under another name
        import sqlite3

__all__ = ["SqliteStore"]

_MAGIC = b"SQLite format 3\x00"
_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)  # as Path.exists
_LATEST = latest_version(SQLITE_MIGRATIONS)
_CORRUPT_HINT = (
    "dos left the file as it is. Check it with `dos journal verify`, restore it from a "
    "backup, or move it aside together with its .head file to start an empty store (its "
    "leases and journal are then lost)"
)
HEAD_STORE = "sqlite"  # the identity in the head file: the file beside the database is the key


def _header_problem(path: str) -> tuple[str, bool] | None:
    """What is wrong with the file's SQLite header, and whether it may be transient
    (a checkpoint can be growing the file while we look)."""
    with open(path, "rb") as handle:  # noqa: PTH123 - pathlib costs hook start-up time
        header = handle.read(100)
        size = os.fstat(handle.fileno()).st_size
    if size == 0:
        return "is empty (0 bytes): it was truncated or never written", False
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "is not an SQLite database (its header is damaged)", False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"has a damaged header (page size {page_size})", False
    if size % page_size:
        return f"is truncated ({size} bytes is not a whole number of pages)", True
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and size < pages * page_size:
        return f"is truncated (its header counts {pages} pages, the file holds " \
               f"{size // page_size})", True
    return None


class SqliteStore:
    """A dos store in one SQLite file (``path``: a Path or a string)."""

    def __init__(self, path: Path | str, *, url: str = "", busy_timeout_ms: int = 5000) -> None:
        # A string inside: pathlib costs start-up time on every hook call.
        self._file = os.fspath(path)
        self.url = url or f"sqlite:///{self.path}"
        self.busy_timeout_ms = busy_timeout_ms
        self.head_path: str | None = f"{self._file}.head"
        self.head_store = HEAD_STORE
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # the file the connection opened

    @property
    def path(self) -> Path:
        from pathlib import Path

        return Path(self._file)

    def exists(self) -> bool:
        try:
            os.stat(self._file)  # noqa: PTH116 - pathlib costs hook start-up time
        except ValueError:
            return False  # a path no file system can hold (Path.exists agrees)
        except OSError as exc:
            if exc.errno in _ABSENT:
                return False
            raise StoreError(f"cannot look for the store {self.path}: {exc.strerror}",
                             hint="check the permissions of its directory") from None
        return True

    def error(self, exc: sqlite3.Error) -> StoreError:
        """The dos error for a database error: busy (75) or unreadable (74)."""
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
            return StoreBusyError(
                f"the store {self.path} stayed locked by another writer for more than "
                f"{self.busy_timeout_ms} ms",
                hint="retry; if it persists raise [store] busy_timeout_ms in dos.toml")
        return StoreError(f"the store {self.path} cannot be used: {text}", hint=_CORRUPT_HINT)

    def transaction(self, *, write: bool, durable: bool = True) -> _Transaction:
        return _Transaction(self, write=write, durable=durable)

    def transaction_if_exists(self, *, write: bool,
                              durable: bool = True) -> _Transaction | _Absent:
        if not self.exists():
            return _Absent()
        return _Transaction(self, write=write, durable=durable)

    def integrity_problems(self, *, thorough: bool = True) -> list[str]:
        from dos.store.migrations import SQLITE_TRIGGERS

        if not self.exists():
            return []
        conn = self._connection(create=False)
        try:
            present = {str(row[0]) for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
            # quick_check reads every page of the file: only when asked to be thorough
            rows = conn.execute("PRAGMA quick_check").fetchall() if thorough else []
        except sqlite3.Error as exc:
            return [str(exc)]
        missing = [f"trigger {name} on {table} is missing: {table} is no longer append-only"
                   for table, names in SQLITE_TRIGGERS.items() for name in names
                   if name not in present]
        return missing + [str(row[0]) for row in rows if row[0] != "ok"]

    def reclaim_space(self) -> int:
        conn = self._connection(create=False)
        try:
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            before = int(conn.execute("PRAGMA page_count").fetchone()[0])
            conn.execute("PRAGMA incremental_vacuum").fetchall()
            after = int(conn.execute("PRAGMA page_count").fetchone()[0])
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        return (before - after) * page_size

    def close(self) -> None:
        if self._conn is not None:
            if not kept_connections.put(self._file, self._conn, self._opened,
                                        self.busy_timeout_ms):
                self._conn.close()
            self._conn = None

    def _connection(self, *, create: bool) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        if kept_connections.keeping():
            kept = kept_connections.take(self._file, self.busy_timeout_ms)
            if kept is not None:
                self._conn, self._opened = kept
                return self._conn
        if not self.exists():
            if not create:
                raise StoreError(f"there is no store at {self.path} yet",
                                 hint="a write verb such as `dos lease-lane acquire` creates it")
            self._create()
        self._check_file()
        uri = f"file:{_uri_path(self._file)}?mode=rw"
        # Read before the open: a file replaced in between makes a mismatch (a fresh
        # connection next time), never a kept connection to a file no longer there.
        opened = kept_connections.identity(self._file) if kept_connections.keeping() else None
        try:
            # One store object may move between threads; it is never used by two at once.
            conn = sqlite3.connect(uri, uri=True, isolation_level=None,
                                   timeout=self.busy_timeout_ms / 1000,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        try:
            conn.execute("PRAGMA synchronous=FULL")
            self._migrate(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise self.error(exc) from None
        except BaseException:
            conn.close()
            raise
        self._conn, self._opened = conn, opened
        return conn

    def _check_file(self) -> None:
        for _attempt in range(8):
            try:
                found = _header_problem(self._file)
            except OSError as exc:
                raise StoreError(f"the store {self.path} cannot be read: {exc.strerror}",
                                 hint="check the file's permissions") from None
            if found is None:
                return
            problem, transient = found
            # Only a checkpoint (which needs a WAL file) can make the file look short.
            if not transient or not os.path.exists(self._file + "-wal"):  # noqa: PTH110
                break
            time.sleep(0.03)
        raise StoreError(f"the store {self.path} {problem}", hint=_CORRUPT_HINT)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = _schema_version(conn)
        if version == _LATEST:
            return
        if version is None:
            raise StoreError(f"{self.path} is an SQLite database but not a dos store",
                             hint="point [store] url at another file, or move this one aside")
        if version > _LATEST:
            raise StoreError(
                f"the store {self.path} has schema version {version}; this dos knows "
                f"versions up to {_LATEST}", hint="upgrade dos (pip install -U dispatch-os)")
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _schema_version(conn) or 0
            for statements in SQLITE_MIGRATIONS[current:]:
                for statement in statements:
                    conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (_LATEST,))
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise

    def _create(self) -> None:
        """Build the schema in a private file, then link it into place: no process
        ever sees a half-made store, and a lost creation race is harmless."""
        import tempfile

        from dos.store.head import ensure_private_dir

        try:
            ensure_private_dir(os.fspath(self.path.parent))
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                       suffix=".init")
        except OSError as exc:
            raise StoreError(f"cannot create the store {self.path}: {exc.strerror}",
                             hint="check that its directory is writable") from None
        os.close(fd)
        try:
            _initialise(tmp)
            os.link(tmp, self.path)
        except FileExistsError:
            pass  # another process created it first; use theirs
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot create the store {self.path}: {exc}",
                             hint="check that its directory is writable and supports "
                                  "hard links, or set [store] url elsewhere") from None
        finally:
            from pathlib import Path

            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(tmp + suffix).unlink(missing_ok=True)


class _Absent:
    """The block of a transaction on a store that does not exist: it gets None."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        return None


class _Transaction:
    """``BEGIN`` (``IMMEDIATE`` to write) … ``COMMIT``, rolled back on any error; a
    database error becomes a dos error. A class, not @contextmanager: contextlib
    costs hook start-up time."""

    __slots__ = ("_conn", "_relaxed", "_store", "_tx", "_write")

    def __init__(self, store: SqliteStore, *, write: bool, durable: bool = True) -> None:
        self._store, self._write = store, write
        self._relaxed = write and not durable
        self._conn: sqlite3.Connection | None = None
        self._tx: SqliteTx | None = None

    def __enter__(self) -> SqliteTx:
        conn = self._store._connection(create=self._write)
        try:
            if self._relaxed:  # WAL: the commit skips its fsync; a crash keeps it whole
                conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("BEGIN IMMEDIATE" if self._write else "BEGIN")
        except sqlite3.Error as exc:
            if self._relaxed:
                _durable_again(self._store, conn)
            raise self._store.error(exc) from None
        self._conn = conn
        self._tx = SqliteTx(conn)
        return self._tx

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            self._finish(conn, kind, error)
        finally:
            if self._relaxed:
                _durable_again(self._store, conn)

    def _finish(self, conn: sqlite3.Connection, kind: type[BaseException] | None,
                error: BaseException | None) -> None:
        if kind is None:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                raise self._store.error(exc) from None
            appended = self._tx.appended if self._tx is not None else None
            if appended is not None and self._store.head_path:
                from dos.store.head import Head, advance_head

                advance_head(self._store.head_path, Head(HEAD_STORE, *appended))
            return
        _rollback(conn)
        if isinstance(error, sqlite3.Error):
            raise self._store.error(error) from None


def _initialise(path: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # must precede the first table
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statements in SQLITE_MIGRATIONS:
            for statement in statements:
                conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (_LATEST,))
        conn.execute("COMMIT")
    finally:
        conn.close()


def _uri_path(path: str) -> str:
    """``path`` for a ``file:`` URI: only these characters have a meaning there."""
    text = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return text if os.name != "nt" else "/" + text.replace("\\", "/")


def _schema_version(conn: sqlite3.Connection) -> int | None:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    if row is None or not isinstance(row[0], int):
        raise sqlite3.DatabaseError("the schema_version table is damaged")
    return int(row[0])


def _durable_again(store: SqliteStore, conn: sqlite3.Connection) -> None:
    try:
        conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error:
        store.close()  # a connection that cannot be made durable again is not kept


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            conn.close()  # closing discards the transaction; the original error wins
