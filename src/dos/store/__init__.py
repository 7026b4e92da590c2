"""The store every surface shares: leases, the ops journal, counters and memory.

:func:`open_store` picks a backend from a URL (``sqlite:///<path>`` embedded, the
default; ``postgresql://…`` shared by many machines). Backends implement :class:`Store`;
domain logic (admission, ids, locks) is written once against :class:`StoreTx` and runs
inside one transaction, so a crash leaves all of a change or none of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dos.errors import StoreError
from dos.lease import Lease
from dos.store.journal import JournalAnchor, JournalEntry, JournalRecord

if TYPE_CHECKING:
    from dos.config import SubstrateConfig

__all__ = [
    "TEST_CLOCK_ENV",
    "Store",
    "StoreTx",
    "open_store",
    "reading",
    "store_for",
    "store_url",
    "test_clock_ms",
    "updating",
    "writing",
]

TEST_CLOCK_ENV = "DOS_TEST_CLOCK_MS"


class StoreTx(Protocol):
    """One transaction. Everything read or written through it commits together."""

    def now_ms(self) -> int:
        """The store's clock (epoch ms), never the caller's."""
        ...

    def unreleased_leases(self) -> list[Lease]:
        """Leases not yet released, live or expired, oldest first."""
        ...

    def get_lease(self, lease_id: int) -> Lease | None: ...

    def leases_ended_since(self, since_ms: int) -> list[Lease]:
        """Released leases whose end is at or after ``since_ms``."""
        ...

    def insert_lease(self, lease: Lease) -> Lease:
        """Store ``lease`` under a new, strictly larger ``lease_id`` (its fencing token)."""
        ...

    def renew_lease(self, lease_id: int, renewed_at_ms: int) -> None: ...

    def end_lease(self, lease_id: int, *, at_ms: int, kind: str) -> bool:
        """Mark an unreleased lease ended; False if it was already ended."""
        ...

    def prune_leases(self, ended_before_ms: int) -> int: ...

    def append(self, entry: JournalEntry) -> JournalRecord:
        """Seal ``entry`` onto the chain at the next seq, stamped by the store's clock."""
        ...

    def append_many(self, entries: Iterable[JournalEntry], *, ts_ms: int) -> int: ...

    def journal_records(
        self, *, after_seq: int = 0, limit: int = 1000, op: str | None = None,
        since_ms: int | None = None, newest_first: bool = False,
    ) -> list[JournalRecord]:
        """Records after ``after_seq`` (optionally of one op, stamped at or after
        ``since_ms``), in seq order or newest first."""
        ...

    def journal_count(self) -> int: ...

    def journal_anchor(self) -> JournalAnchor | None: ...

    def drop_journal_through(self, anchor: JournalAnchor) -> int:
        """Record ``anchor`` and drop every record up to its seq; returns rows dropped."""
        ...

    def counter(self, scope: str) -> int | None:
        """A counter's value; raises StoreError when it is not a non-negative integer."""
        ...

    def set_counter(self, scope: str, value: int) -> None: ...

    def append_verdict(self, payload: Mapping[str, Any]) -> int: ...

    def verdicts(self, *, after_seq: int = 0, limit: int = 1000) -> list[
        tuple[int, int, dict[str, Any]]]: ...

    def recall(self, namespace: str, key: str) -> Any:
        """A remembered JSON value, or None."""
        ...

    def remember(self, namespace: str, key: str, value: Any) -> None: ...

    def forget(self, namespace: str, key: str) -> None: ...

    # Whole-history copy between stores (``dos store copy``): read everything, and
    # write records, leases and verdicts exactly as they were (seq, ids, stamps, hashes).

    def counters(self) -> dict[str, int]:
        """Every counter, by scope."""
        ...

    def memories(self) -> list[tuple[str, str, Any]]:
        """Every remembered ``(namespace, key, value)``."""
        ...

    def load_records(self, records: Sequence[JournalRecord]) -> None:
        """Insert already-sealed records verbatim; they must continue this chain."""
        ...

    def load_lease(self, lease: Lease) -> None:
        """Insert ``lease`` under its own ``lease_id``; later grants still get larger ids."""
        ...

    def load_verdict(self, seq: int, ts_ms: int, payload: Mapping[str, Any]) -> None: ...


class Store(Protocol):
    """A backend. Read transactions never create anything; the first write does."""

    url: str

    def exists(self) -> bool: ...

    def transaction(self, *, write: bool) -> AbstractContextManager[StoreTx]: ...

    def integrity_problems(self) -> list[str]:
        """What the backend's own consistency check finds (empty when sound)."""
        ...

    def reclaim_space(self) -> int:
        """Return freed space to the file system; the bytes reclaimed."""
        ...

    def close(self) -> None: ...


def test_clock_ms() -> int | None:
    """The clock override tests set through ``DOS_TEST_CLOCK_MS``, if any."""
    raw = os.environ.get(TEST_CLOCK_ENV, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise StoreError(f"{TEST_CLOCK_ENV}={raw!r} is not an integer",
                         hint=f"unset {TEST_CLOCK_ENV}; it is for tests only") from None


_SQLITE = "sqlite:///"


def open_store(url: str, *, root: Path | str | None = None,
               busy_timeout_ms: int = 5000, workspace_id: str = "") -> Store:
    """The store at ``url``. Nothing is opened or created until a transaction starts.

    A relative ``sqlite:///`` path resolves against ``root`` (default: the cwd). In a
    shared ``postgresql://`` database the workspace is ``workspace_id``, else an id
    derived from ``root``.
    """
    if url.startswith(_SQLITE):
        from dos.store.sqlite import SqliteStore

        raw = url[len(_SQLITE):]
        if not raw:
            raise StoreError(f"store url {url!r} names no file",
                             hint="use sqlite:///<path>, e.g. sqlite:///.dos/dos.db")
        path = Path(raw)
        if not path.is_absolute():
            path = Path(root or Path.cwd()) / path
        return SqliteStore(path, url=url, busy_timeout_ms=busy_timeout_ms)
    if url.startswith(("postgresql://", "postgres://")):
        return _postgres(url, root=root, busy_timeout_ms=busy_timeout_ms,
                         workspace_id=workspace_id)
    raise StoreError(f"store url {url!r} has an unknown scheme",
                     hint="use sqlite:///<path> or postgresql://user@host/db")


def _postgres(url: str, *, root: Path | str | None, busy_timeout_ms: int,
              workspace_id: str) -> Store:
    try:
        from dos.store.postgres import PostgresStore
        from dos.store.urls import derive_workspace_id
    except ImportError:
        raise StoreError("the PostgreSQL store needs psycopg, which is not installed",
                         hint="pip install 'dispatch-os[postgres]'") from None
    return PostgresStore(url, busy_timeout_ms=busy_timeout_ms,
                         workspace_id=workspace_id or derive_workspace_id(root or Path.cwd()))


def store_url(config: SubstrateConfig) -> str:
    """``[store] url``, else ``DOS_STORE_URL``, else the workspace's embedded store."""
    url = config.store.url or os.environ.get("DOS_STORE_URL", "")
    return url or f"{_SQLITE}{config.paths.store}"


def store_for(config: SubstrateConfig) -> Store:
    """The store of the workspace ``config`` describes."""
    return open_store(store_url(config), root=config.root,
                      busy_timeout_ms=config.store.busy_timeout_ms,
                      workspace_id=config.store.workspace_id)


@contextmanager
def writing(config: SubstrateConfig) -> Iterator[StoreTx]:
    """One write transaction on the workspace's store, creating the store if needed."""
    store = store_for(config)
    try:
        with store.transaction(write=True) as tx:
            yield tx
    finally:
        store.close()


@contextmanager
def updating(config: SubstrateConfig) -> Iterator[StoreTx | None]:
    """A write transaction on an existing store, or None when there is none: a
    change to something that cannot exist yet must not create the store."""
    store = store_for(config)
    try:
        if not store.exists():
            yield None
            return
        with store.transaction(write=True) as tx:
            yield tx
    finally:
        store.close()


@contextmanager
def reading(config: SubstrateConfig) -> Iterator[StoreTx | None]:
    """One read transaction, or None when the store does not exist yet (reads never
    create it)."""
    store = store_for(config)
    try:
        if not store.exists():
            yield None
            return
        with store.transaction(write=False) as tx:
            yield tx
    finally:
        store.close()
