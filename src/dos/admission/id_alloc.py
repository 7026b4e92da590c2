"""Per-scope id allocation: every id handed out is larger than all before it.

The counter lives in the store and moves inside one write transaction, so
concurrent allocators never collide. A counter that does not hold a non-negative
integer is an error (StoreError), never a restart: ids are not reused.
"""

from __future__ import annotations

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.store import reading, writing
from dos.store.journal import JournalEntry

__all__ = ["allocate", "peek"]


def _scope(scope: str) -> str:
    cleaned = (scope or "").strip()
    if not cleaned:
        raise UsageError("an id scope must not be empty",
                         hint="name the scope, e.g. `dos id-alloc allocate next-up`")
    return cleaned


def allocate(config: SubstrateConfig, scope: str, *, start: int = 1) -> int:
    """The next id of ``scope``: ``start`` the first time, then one more than the last."""
    name = _scope(scope)
    if start < 0:
        raise UsageError(f"--start must be >= 0, got {start}")
    with writing(config) as tx:
        current = tx.counter(name)
        value = start if current is None else current + 1
        tx.set_counter(name, value)
        tx.append(JournalEntry("ID_ALLOC", payload={"scope": name, "id": value}))
    return value


def peek(config: SubstrateConfig, scope: str) -> int | None:
    """The last id handed out for ``scope`` (None if never); allocates nothing."""
    name = _scope(scope)
    with reading(config) as tx:
        return None if tx is None else tx.counter(name)
