"""What happens to a granted lease: release and heartbeat by its exact holder,
expiry when its TTL passes, and reaping by an operator."""

from __future__ import annotations

from dos.admission.holder import host_id, iso_utc, resolve_owner
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.store import updating
from dos.store.journal import JournalEntry
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

    from dos.store import StoreTx

__all__ = [
    "HeartbeatResult",
    "ReapResult",
    "ReleaseResult",
    "expire_dead",
    "heartbeat",
    "lane_matches",
    "reap",
    "reap_expired",
    "release",
]


@struct
class ReleaseResult:
    """Whether the holder's lease ended; ``reason`` says why not. A lease its holder
    had already released (or that expired or was reaped) is ``already_released``: the
    release asked for holds, so it is not a failure."""

    released: bool
    lane: str
    owner: str
    lease: Lease | None = None
    reason: str = ""
    already_released: bool = False
    attempt: dict[str, Any] | None = None  # the attempt recorded with the release

    @property
    def ok(self) -> bool:
        return self.released or self.already_released

    def to_dict(self) -> dict[str, Any]:
        payload = {"released": self.released, "already_released": self.already_released,
                   "lane": self.lane, "owner": self.owner,
                   "lease_id": self.lease.lease_id if self.lease else None,
                   "reason": self.reason}
        if self.attempt is not None:
            payload["attempt"] = self.attempt
        return payload


@struct
class HeartbeatResult:
    """Whether the holder's lease was renewed; ``reason`` says why not."""

    beat: bool
    lane: str
    owner: str
    lease: Lease | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"beat": self.beat, "lane": self.lane, "owner": self.owner,
                                   "reason": self.reason,
                                   "lease_id": self.lease.lease_id if self.lease else None}
        if self.lease is not None:
            payload["expires_at_ms"] = self.lease.renewed_at_ms + self.lease.ttl_ms
        return payload


@struct
class ReapResult:
    """The leases a reap ended, and why a named lease was not reaped."""

    reaped: tuple[Lease, ...] = ()
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"reaped": [lease.to_dict() for lease in self.reaped], "reason": self.reason}


def _journal_end(tx: StoreTx, op: str, lease: Lease, **payload: Any) -> None:
    tx.append(JournalEntry(op, lane=lease.lane, holder=lease.holder, run_id=lease.run_id,
                           loop_ts=lease.loop_ts, lease_id=lease.lease_id,
                           payload={"host_id": host_id(), "pid": lease.pid, **payload}))


def expire_dead(tx: StoreTx, now: int) -> list[Lease]:
    """End every lease whose TTL has passed (journaled as EXPIRE); return the live rest."""
    live = []
    for lease in tx.unreleased_leases():
        if lease.is_live(now):
            live.append(lease)
            continue
        ended = lease.renewed_at_ms + lease.ttl_ms
        if tx.end_lease(lease.lease_id, at_ms=ended, kind="expire"):
            _journal_end(tx, "EXPIRE", lease, ended_at_ms=ended,
                         reason=f"ttl passed at {iso_utc(ended)} by the store's clock")
    return live


def lane_matches(config: SubstrateConfig, lease: Lease, lane: str) -> bool:
    """Whether ``lane`` (any alias or case) names the lease's lane."""
    def canonical(name: str) -> str:
        return (config.lanes.resolve(name) or name.strip()).casefold()
    return canonical(lease.lane) == canonical(lane)


def _candidates(config: SubstrateConfig, live: list[Lease], lane: str, loop_ts: str,
                lease_id: int | None) -> list[Lease]:
    if not lane.strip() and lease_id is None:
        raise UsageError("name the lease by --lane or --lease-id",
                         hint="`dos lease-lane live` lists the live leases")
    return [lease for lease in live
            if (not lane.strip() or lane_matches(config, lease, lane))
            and (not loop_ts or lease.loop_ts == loop_ts)
            and (lease_id is None or lease.lease_id == lease_id)]


def _not_held(found: list[Lease], lane: str, owner: str) -> str:
    if found:
        other = found[-1]
        return (f"lane '{other.lane}' is held by {other.holder} (lease #{other.lease_id}), "
                f"not by {owner}; only the holder may release or renew it")
    return f"no live lease on lane '{lane}' is held by {owner}" if lane.strip() else \
        f"no live lease held by {owner} matches"


def _ended_lease(tx: StoreTx, config: SubstrateConfig, holder: str, *, lane: str,
                 loop_ts: str, lease_id: int | None) -> Lease | None:
    """The holder's newest lease matching the request, when that lease has ended."""
    if lease_id is not None:
        found = tx.get_lease(lease_id)
        newest = [found] if found is not None and found.holder == holder else []
    else:
        newest = tx.holder_leases(holder)
    for lease in newest:
        if (not lane.strip() or lane_matches(config, lease, lane)) \
                and (not loop_ts or lease.loop_ts == loop_ts):
            return lease if lease.released_at_ms is not None else None
    return None


def _already_released(lease: Lease) -> str:
    how = "" if lease.release_kind == "release" else f" ({lease.release_kind})"
    return f"already released: lease #{lease.lease_id} on lane '{lease.lane}' ended{how}"


def _attempt(tx: StoreTx, lease: Lease, holder: str,
             attempt: tuple[str, str] | None) -> dict[str, Any] | None:
    """Record the holder's attempt (unit, outcome) in the release's own transaction."""
    if attempt is None:
        return None
    found = tx.record_attempt(unit_id=attempt[0], outcome=attempt[1], lane=lease.lane,
                              run_id=lease.run_id, holder=holder)
    return {"seq": found.seq, "unit_id": found.unit_id, "outcome": found.outcome}


def release(config: SubstrateConfig, *, lane: str = "", owner: str = "",
            lease_id: int | None = None, loop_ts: str = "",
            attempt: tuple[str, str] | None = None) -> ReleaseResult:
    """End the newest matching lease, only if ``owner`` is exactly its holder; with
    ``attempt`` (unit, outcome), record how the holder's attempt at the unit ended."""
    holder = resolve_owner(owner, allow_host_pid=False)
    with updating(config) as tx:
        if tx is None:
            return ReleaseResult(False, lane, holder, reason="there is no lease store yet")
        now = tx.now_ms()
        found = _candidates(config, expire_dead(tx, now), lane, loop_ts, lease_id)
        mine = [lease for lease in found if lease.holder == holder]
        if not mine:
            ended = _ended_lease(tx, config, holder, lane=lane, loop_ts=loop_ts,
                                 lease_id=lease_id)
            if ended is not None:
                return ReleaseResult(False, ended.lane, holder, ended,
                                     reason=_already_released(ended), already_released=True,
                                     attempt=_attempt(tx, ended, holder, attempt))
            return ReleaseResult(False, lane, holder, reason=_not_held(found, lane, holder))
        lease = mine[-1]
        tx.end_lease(lease.lease_id, at_ms=now, kind="release")
        _journal_end(tx, "RELEASE", lease, reason=f"lane-lease:{holder}")
        recorded = _attempt(tx, lease, holder, attempt)
    return ReleaseResult(True, lease.lane, holder, lease, attempt=recorded)


def heartbeat(config: SubstrateConfig, *, lane: str = "", owner: str = "",
              lease_id: int | None = None, loop_ts: str = "",
              coalesce_within_s: float = 0.0) -> HeartbeatResult:
    """Renew the holder's live lease; an expired lease cannot be revived (re-acquire)."""
    holder = resolve_owner(owner, allow_host_pid=False)
    with updating(config) as tx:
        if tx is None:
            return HeartbeatResult(False, lane, holder, reason="there is no lease store yet")
        now = tx.now_ms()
        found = _candidates(config, expire_dead(tx, now), lane, loop_ts, lease_id)
        mine = [lease for lease in found if lease.holder == holder]
        if not mine:
            return HeartbeatResult(False, lane, holder, reason=_not_held(found, lane, holder))
        lease = mine[-1]
        if coalesce_within_s > 0 and now - lease.renewed_at_ms < coalesce_within_s * 1000:
            return HeartbeatResult(True, lease.lane, holder, lease, reason="coalesced")
        tx.renew_lease(lease.lease_id, now)
        _journal_end(tx, "HEARTBEAT", lease, renewed_at_ms=now)
    return HeartbeatResult(True, lease.lane, holder,
                           lease.replace(renewed_at_ms=now))


def reap(config: SubstrateConfig, *, lease_id: int | None = None, grace_s: float = 0.0,
         force: bool = False, owner: str = "", reason: str = "") -> ReapResult:
    """End leases whose TTL (plus ``grace_s``) has passed by the store's clock, or the
    one lease named; a live lease is reaped only with ``force``."""
    if grace_s < 0:
        raise UsageError(f"--grace-seconds must be >= 0, got {grace_s}")
    by = resolve_owner(owner, allow_host_pid=True)
    with updating(config) as tx:
        if tx is None:  # no store: nothing to reap, and no lease by that id
            return ReapResult(reason="" if lease_id is None else f"there is no lease #{lease_id}")
        now = tx.now_ms()
        if lease_id is None:
            return ReapResult(tuple(reap_expired(tx, now, grace_ms=int(grace_s * 1000), by=by,
                                                 reason=reason)))
        return _reap_one(tx, now, lease_id, force=force, by=by, reason=reason)


def reap_expired(tx: StoreTx, now: int, *, grace_ms: int = 0, by: str,
                 reason: str = "") -> list[Lease]:
    """End, inside ``tx``, every lease whose TTL (plus ``grace_ms``) has passed by the
    store's clock, each journaled as REAP; the leases ended."""
    reaped = []
    for lease in tx.unreleased_leases():
        ended = lease.renewed_at_ms + lease.ttl_ms
        if ended + grace_ms <= now and tx.end_lease(lease.lease_id, at_ms=ended, kind="reap"):
            _journal_end(tx, "REAP", lease, ended_at_ms=ended, by=by,
                         reason=reason or f"reap:{by} (ttl passed at {iso_utc(ended)})")
            reaped.append(lease.replace(released_at_ms=ended, release_kind="reap"))
    return reaped


def _reap_one(tx: StoreTx, now: int, lease_id: int, *, force: bool, by: str,
              reason: str) -> ReapResult:
    lease = tx.get_lease(lease_id)
    if lease is None:
        return ReapResult(reason=f"there is no lease #{lease_id}")
    if lease.released_at_ms is not None:
        return ReapResult(reason=f"lease #{lease_id} already ended ({lease.release_kind})")
    live = lease.is_live(now)
    if live and not force:
        expires = lease.renewed_at_ms + lease.ttl_ms
        return ReapResult(reason=(
            f"lease #{lease_id} on lane '{lease.lane}' is live until {iso_utc(expires)} "
            f"(held by {lease.holder}); pass --force to reap a live lease"))
    ended = now if live else lease.renewed_at_ms + lease.ttl_ms
    tx.end_lease(lease_id, at_ms=ended, kind="reap")
    _journal_end(tx, "REAP", lease, ended_at_ms=ended, by=by, forced=live,
                 reason=reason or f"reap:{by}")
    return ReapResult((lease.replace(released_at_ms=ended, release_kind="reap"),))
