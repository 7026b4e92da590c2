"""Named mutexes between scripts (``dos lease``) and ids never reused (``dos id-alloc``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, cast

from dos.admission.mutex import DEFAULT_NAME, MutexResult, MutexState
from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.structs import struct

__all__ = ["IdJSON", "IssuedId", "MutexJSON", "MutexStatus", "MutexStatusJSON", "allocate_id",
           "id_json", "mutex_acquire", "mutex_json", "mutex_release", "mutex_status",
           "mutex_status_json", "peek_id"]


class MutexJSON(TypedDict):
    """``dos lease acquire|release --json``."""

    action: str
    name: str
    owner: str
    held_by: str | None
    age_s: int
    token: int | None
    schema: dict[str, Any]


class MutexStatusJSON(TypedDict):
    """``dos lease status --json``."""

    state: str
    name: str
    owner: str | None
    age_s: int
    token: int | None
    schema: dict[str, Any]


class IdJSON(TypedDict):
    """``dos id-alloc allocate|peek --json``."""

    id: int | None
    scope: str
    schema: dict[str, Any]


def mutex_acquire(config: SubstrateConfig, owner: str, *, name: str = DEFAULT_NAME,
                  ttl_seconds: float = 300.0, retries: int = 5, retry_interval: float = 2.0,
                  on_wait: Callable[[MutexResult, int], None] | None = None) -> MutexResult:
    """Take mutex ``name`` for ``owner``: re-entrant, stealing it once stale, waiting
    ``retries`` times ``retry_interval`` seconds apart while it is held."""
    from dos.admission import mutex

    return mutex.acquire(config, owner, name=name, ttl_s=ttl_seconds, retries=retries,
                         retry_interval_s=retry_interval, on_wait=on_wait)


def mutex_release(config: SubstrateConfig, owner: str, *, name: str = DEFAULT_NAME,
                  force: bool = False) -> MutexResult:
    """Release ``name`` if ``owner`` holds it (anyone's hold, with ``force``)."""
    from dos.admission import mutex

    return mutex.release(config, owner, name=name, force=force)


def mutex_json(result: MutexResult) -> MutexJSON:
    return cast(MutexJSON, with_schema(result.to_dict(), "lease"))


@struct
class MutexStatus:
    """``free``, ``held`` or ``stale``, who holds it and for how long (seconds)."""

    state: str
    name: str
    held: MutexState | None
    age_s: int


def mutex_status(config: SubstrateConfig, *, name: str = DEFAULT_NAME,
                 ttl_seconds: float | None = None) -> MutexStatus:
    """The mutex's state; stale by the holder's TTL, or ``ttl_seconds``. Reads only."""
    from dos.admission import mutex

    state, held, age = mutex.status(config, name=name, ttl_s=ttl_seconds)
    return MutexStatus(state, name, held, age)


def mutex_status_json(status: MutexStatus) -> MutexStatusJSON:
    held = status.held
    return cast(MutexStatusJSON, with_schema(
        {"state": status.state, "name": status.name, "owner": held.owner if held else None,
         "age_s": status.age_s, "token": held.token if held else None}, "lease"))


@struct
class IssuedId:
    """An id of ``scope``: the one just handed out, or the last one (None if never)."""

    scope: str
    value: int | None
    allocated: bool


def allocate_id(config: SubstrateConfig, scope: str, *, start: int = 1) -> IssuedId:
    """The next id of ``scope``: ``start`` the first time, then one more than the last."""
    from dos.admission import id_alloc

    return IssuedId(scope.strip(), id_alloc.allocate(config, scope, start=start), True)


def peek_id(config: SubstrateConfig, scope: str) -> IssuedId:
    """The last id handed out for ``scope``; allocates nothing."""
    from dos.admission import id_alloc

    return IssuedId(scope.strip(), id_alloc.peek(config, scope), False)


def id_json(issued: IssuedId) -> IdJSON:
    return cast(IdJSON, with_schema({"id": issued.value, "scope": issued.scope}, "id-alloc"))
