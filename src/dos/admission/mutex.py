"""Named cross-process mutexes in the store (``dos lease``).

A mutex is held by an owner name for a TTL it declares. Taking it, re-entering it
and stealing it once stale each happen inside one write transaction, so two
processes can never both believe they won. The token (the journal seq of the
grant) grows with every new holder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.limits import MAX_LEASE_TTL_S
from dos.store import StoreTx, reading, updating, writing
from dos.store.journal import JournalEntry
from dos.structs import struct

__all__ = ["DEFAULT_NAME", "MutexResult", "MutexState", "acquire", "release", "status"]

DEFAULT_NAME = "archive"
_NAMESPACE = "mutex"
_MAX_TTL_S = MAX_LEASE_TTL_S  # as a lane lease's: the state must read back


@struct
class MutexState:
    """Who holds a mutex, since when (store clock, ms), for how long, and its token."""

    name: str
    owner: str
    acquired_ms: int
    ttl_ms: int
    token: int

    def age_s(self, now_ms: int) -> int:
        return max(0, now_ms - self.acquired_ms) // 1000

    def stale(self, now_ms: int, ttl_ms: int | None = None) -> bool:
        return now_ms - self.acquired_ms >= (self.ttl_ms if ttl_ms is None else ttl_ms)


@struct
class MutexResult:
    """``action`` is acquired, re-entrant, stole-stale, busy, released, no-lock,
    force-released or mismatch; ``held`` is the state before the call."""

    action: str
    name: str
    owner: str
    held: MutexState | None = None
    age_s: int = 0
    token: int | None = None

    @property
    def ok(self) -> bool:
        return self.action not in ("busy", "mismatch")

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "name": self.name, "owner": self.owner,
                "held_by": self.held.owner if self.held else None, "age_s": self.age_s,
                "token": self.token}


def _owner(owner: str) -> str:
    cleaned = (owner or "").strip()
    if not cleaned:
        raise UsageError("a mutex owner must not be empty", hint="pass OWNER, e.g. `dos lease "
                         "acquire nightly-archive`")
    return cleaned


def _state(tx: StoreTx, name: str) -> MutexState | None:
    from dos.store.cells import check_int, unreadable

    raw = tx.recall(_NAMESPACE, name)
    if raw is None:
        return None
    what = f"the state of mutex {name!r}"
    if not isinstance(raw, dict) or not isinstance(raw.get("owner"), str):
        raise unreadable(what, f"it holds {raw!r}, not an owner, a time, a TTL and a token")
    return MutexState(name=name, owner=raw["owner"],
                      acquired_ms=check_int(raw.get("acquired_ms"), f"{what} (acquired_ms)"),
                      ttl_ms=check_int(raw.get("ttl_ms"), f"{what} (ttl_ms)", low=1),
                      token=check_int(raw.get("token"), f"{what} (token)",
                                      high=2**63 - 1))


def _grant(tx: StoreTx, op: str, *, name: str, owner: str, ttl_ms: int,
           held: MutexState | None, now: int) -> int:
    record = tx.append(JournalEntry(op, holder=owner, payload={
        "name": name, "ttl_ms": ttl_ms, "prev_holder": held.owner if held else None}))
    token = held.token if op == "MUTEX_ACQUIRE" and held and held.owner == owner else record.seq
    tx.remember(_NAMESPACE, name, {"owner": owner, "acquired_ms": now, "ttl_ms": ttl_ms,
                                   "token": token})
    return token


def _try(config: SubstrateConfig, name: str, owner: str, ttl_ms: int) -> MutexResult:
    with writing(config) as tx:
        now = tx.now_ms()
        held = _state(tx, name)
        if held is None:
            return MutexResult("acquired", name, owner, None, 0,
                               _grant(tx, "MUTEX_ACQUIRE", name=name, owner=owner, ttl_ms=ttl_ms,
                                      held=None, now=now))
        age = held.age_s(now)
        if held.owner == owner:
            return MutexResult("re-entrant", name, owner, held, age,
                               _grant(tx, "MUTEX_ACQUIRE", name=name, owner=owner, ttl_ms=ttl_ms,
                                      held=held, now=now))
        if held.stale(now):
            return MutexResult("stole-stale", name, owner, held, age,
                               _grant(tx, "MUTEX_STEAL", name=name, owner=owner, ttl_ms=ttl_ms,
                                      held=held, now=now))
        return MutexResult("busy", name, owner, held, age)


def acquire(config: SubstrateConfig, owner: str, *, name: str = DEFAULT_NAME,
            ttl_s: float = 300.0, retries: int = 5, retry_interval_s: float = 2.0,
            on_wait: Callable[[MutexResult, int], None] | None = None) -> MutexResult:
    """Take mutex ``name`` for ``owner``, waiting up to ``retries`` times."""
    holder = _owner(owner)
    if not 0 < ttl_s <= _MAX_TTL_S or retries < 0 or not 0 <= retry_interval_s <= _MAX_TTL_S:
        raise UsageError("--ttl-seconds must be > 0 (at most 10 years); --retries and "
                         "--retry-interval >= 0")
    ttl_ms = max(1, int(ttl_s * 1000))
    for attempt in range(1, retries + 2):
        result = _try(config, name, holder, ttl_ms)
        if result.ok or attempt > retries:
            return result
        if on_wait is not None:
            on_wait(result, attempt)
        time.sleep(retry_interval_s)
    raise AssertionError("unreachable")  # pragma: no cover


def release(config: SubstrateConfig, owner: str, *, name: str = DEFAULT_NAME,
            force: bool = False) -> MutexResult:
    """Release ``name`` if ``owner`` holds it (or anyone holds it, with ``force``)."""
    holder = _owner(owner)
    with updating(config) as tx:
        held = None if tx is None else _state(tx, name)
        if tx is None or held is None:
            return MutexResult("no-lock", name, holder)
        age = held.age_s(tx.now_ms())
        if held.owner != holder and not force:
            return MutexResult("mismatch", name, holder, held, age)
        tx.forget(_NAMESPACE, name)
        tx.append(JournalEntry("MUTEX_RELEASE", holder=holder, payload={
            "name": name, "prev_holder": held.owner, "forced": held.owner != holder}))
        action = "released" if held.owner == holder else "force-released"
        return MutexResult(action, name, holder, held, age, held.token)


def status(config: SubstrateConfig, *, name: str = DEFAULT_NAME,
           ttl_s: float | None = None) -> tuple[str, MutexState | None, int]:
    """``free``, ``held`` or ``stale`` (by the holder's TTL, or ``ttl_s``), the state
    and its age in seconds. Reads only."""
    with reading(config) as tx:
        held = None if tx is None else _state(tx, name)
        if tx is None or held is None:
            return "free", None, 0
        now = tx.now_ms()
        ttl_ms = None if ttl_s is None else int(ttl_s * 1000)
        return ("stale" if held.stale(now, ttl_ms) else "held"), held, held.age_s(now)
