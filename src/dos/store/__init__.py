"""The store every surface shares: leases, the ops journal, counters and memory.

:func:`open_store` picks a backend from a URL (``sqlite:///<path>`` embedded, the
default; ``postgresql://…`` shared by many machines). Backends implement :class:`Store`;
domain logic (admission, ids, locks) is written once against :class:`StoreTx` and runs
inside one transaction, so a crash leaves all of a change or none of it.
"""

from __future__ import annotations

import os

from dos.errors import StoreError

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from pathlib import Path
    from types import TracebackType
    from typing import Any

    from dos.config import SubstrateConfig
    from dos.store.protocol import Store, StoreTx

__all__ = [
    "TEST_CLOCK_ENV",
    "Store",
    "StoreTx",
    "on_write",
    "open_store",
    "read_transaction",
    "reading",
    "store_for",
    "store_url",
    "test_clock_ms",
    "updating",
    "writing",
]

TEST_CLOCK_ENV = "DOS_TEST_CLOCK_MS"

# Who hears that a workspace's store took a write (the innermost listener only): the
# CLI registers the workspace in the cross-project registry from here.
_WRITE_LISTENERS: list[Callable[[SubstrateConfig], None]] = []


def on_write(listener: Callable[[SubstrateConfig], None]) -> Callable[[], None]:
    """Tell ``listener`` the config of each workspace whose store a :func:`writing` or
    :func:`updating` transaction committed to; call the result to stop."""
    _WRITE_LISTENERS.append(listener)
    return lambda: _WRITE_LISTENERS.remove(listener)


def __getattr__(name: str) -> object:
    # The protocols need typing; only code that names them at run time pays for it.
    if name in ("Store", "StoreTx"):
        from dos.store import protocol

        return getattr(protocol, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
            raise StoreError(f"store url {_shown(url)!r} names no file",
                             hint="use sqlite:///<path>, e.g. sqlite:///.dos/dos.db")
        # string paths: pathlib costs start-up time on every hook call
        path = raw if os.path.isabs(raw) else os.path.join(  # noqa: PTH117, PTH118
            os.fspath(root) if root else os.getcwd(), raw)  # noqa: PTH109
        return SqliteStore(path, url=url, busy_timeout_ms=busy_timeout_ms)
    if url.startswith(("postgresql://", "postgres://")):
        return _postgres(url, root=root, busy_timeout_ms=busy_timeout_ms,
                         workspace_id=workspace_id)
    raise StoreError(f"store url {_shown(url)!r} has an unknown scheme",
                     hint="use sqlite:///<path> or postgresql://user@host/db")


def _shown(url: str) -> str:
    from dos.store.urls import redact_url

    return redact_url(url)


def _postgres(url: str, *, root: Path | str | None, busy_timeout_ms: int,
              workspace_id: str) -> Store:
    # psycopg is imported only if this URL needs it (see dos.store.postgres_driver)
    from dos.store.postgres import PostgresStore

    if not workspace_id:
        from dos.store.urls import derive_workspace_id

        workspace_id = derive_workspace_id(root or os.getcwd())  # noqa: PTH109
    return PostgresStore(url, busy_timeout_ms=busy_timeout_ms, workspace_id=workspace_id,
                         root=None if root is None else os.fspath(root))


def store_url(config: SubstrateConfig) -> str:
    """``[store] url``, else ``DOS_STORE_URL``, else the workspace's embedded store."""
    url = config.store.url or os.environ.get("DOS_STORE_URL", "")
    return url or f"{_SQLITE}{config.paths.store}"


def store_for(config: SubstrateConfig) -> Store:
    """The store of the workspace ``config`` describes."""
    return open_store(store_url(config), root=config.root,
                      busy_timeout_ms=config.store.busy_timeout_ms,
                      workspace_id=config.store.workspace_id)


def writing(config: SubstrateConfig) -> AbstractContextManager[StoreTx]:
    """One write transaction on the workspace's store, creating the store if needed."""
    return _Transaction(store_for(config), write=True, missing_ok=False, config=config)


def updating(config: SubstrateConfig) -> AbstractContextManager[StoreTx | None]:
    """A write transaction on an existing store, or None when there is none: a
    change to something that cannot exist yet must not create the store."""
    return _Transaction(store_for(config), write=True, missing_ok=True, config=config)


def reading(config: SubstrateConfig) -> AbstractContextManager[StoreTx | None]:
    """One read transaction, or None when the store does not exist yet (reads never
    create it)."""
    return _Transaction(store_for(config), write=False, missing_ok=True)


def read_transaction(store: Store) -> AbstractContextManager[StoreTx | None]:
    """One read transaction on ``store`` (closed afterwards), or None when it does not
    exist yet."""
    return _Transaction(store, write=False, missing_ok=True)


class _Transaction:
    """A with-block over one transaction of ``store``, which is closed afterwards; with
    ``missing_ok`` the block gets None when the store does not exist (and creates
    nothing). A class, not @contextmanager: contextlib costs hook start-up time."""

    __slots__ = ("_config", "_inner", "_missing_ok", "_store", "_write")

    def __init__(self, store: Store, *, write: bool, missing_ok: bool,
                 config: SubstrateConfig | None = None) -> None:
        self._store, self._write, self._missing_ok = store, write, missing_ok
        self._config = config
        self._inner: AbstractContextManager[StoreTx | None] | None = None

    def __enter__(self) -> Any:
        try:
            inner = self._store.transaction_if_exists(write=self._write) \
                if self._missing_ok else self._store.transaction(write=self._write)
            tx = inner.__enter__()
            if tx is None:  # no store: nothing began (and no write to tell of)
                inner.__exit__(None, None, None)
                return None
        except BaseException:
            self._store.close()
            raise
        self._inner = inner
        return tx

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool:
        try:
            swallowed = bool(self._inner is not None and self._inner.__exit__(kind, error, trace))
        finally:
            self._store.close()
        if kind is None and self._inner is not None and self._config is not None \
                and _WRITE_LISTENERS:
            _WRITE_LISTENERS[-1](self._config)
        return swallowed
