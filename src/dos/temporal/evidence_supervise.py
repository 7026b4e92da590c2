"""Gathering the roster's state for :func:`dos.temporal.supervise.supervise` from the store.

Each live lease on a roster lane becomes one :class:`LaneState` judged by the same
liveness path as ``dos liveness``; a lane nobody holds is one free entry. Pending
spawns and recent reaps come from the store, so a reap and a refill in one tick
cannot be forgotten by the next.
"""

from __future__ import annotations

from dos.admission.lane_lease import lane_matches
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.store import StoreTx, reading
from dos.structs import struct
from dos.temporal.evidence import iter_records, judge_run
from dos.temporal.liveness import Liveness, LivenessVerdict, run_age_ms
from dos.temporal.supervise import LaneState, SupervisePolicy

__all__ = ["DEFAULT_PENDING_MS", "UNCLEAN_ENDS", "RosterView", "roster_states"]

DEFAULT_PENDING_MS = 120_000
UNCLEAN_ENDS = ("reap", "scavenge", "expire")


@struct
class RosterView:
    """The store as the supervisor saw it at ``now_ms``."""

    states: tuple[LaneState, ...]
    live: tuple[Lease, ...]
    now_ms: int


def _roster(config: SubstrateConfig) -> list[str]:
    return list(config.lanes.declared())


def _spinning_for(verdict: LivenessVerdict) -> int | None:
    if verdict.verdict is not Liveness.SPINNING:
        return None
    ev = verdict.evidence
    ages = [max(0, run_age_ms(ev))]
    if ev.last_progress_age_ms is not None:
        ages.append(ev.last_progress_age_ms)
    return min(ages)


def _lease_state(config: SubstrateConfig, lease: Lease, lane: str, *, now_ms: int,
                 repeatable: bool, reaps: int) -> LaneState:
    verdict, _trail, _commits = judge_run(config, run_id=lease.run_id, now_ms=now_ms,
                                          lane=lease.lane, loop_ts=lease.loop_ts,
                                          vouched=True)
    return LaneState(
        lane=lane, liveness=verdict.verdict, tree=lease.tree or config.lanes.tree_for(lane),
        is_exclusive=config.lanes.is_exclusive(lane), spinning_for_ms=_spinning_for(verdict),
        repeatable=repeatable, recent_reaps=reaps, run_id=lease.run_id,
        lease_id=lease.lease_id)


def _pending_lanes(tx: StoreTx, leases: list[Lease], now_ms: int, pending_ms: int
                   ) -> dict[str, int]:
    """Lane → time of a SPAWN not yet followed by a lease on that lane."""
    pending: dict[str, int] = {}
    for record in iter_records(tx, op="SPAWN", since_ms=now_ms - pending_ms):
        if record.ts_ms <= now_ms:
            pending[record.lane.casefold()] = record.ts_ms
    for lease in leases:
        spawned = pending.get(lease.lane.casefold())
        if spawned is not None and lease.acquired_at_ms >= spawned:
            del pending[lease.lane.casefold()]
    return pending


def _reap_counts(tx: StoreTx, now_ms: int, period_ms: int) -> dict[str, int]:
    """Lane → leases that ended uncleanly within the restart period (crashes and reaps)."""
    since = now_ms - period_ms
    counts: dict[str, int] = {}
    ended = [lease for lease in tx.leases_ended_since(since)
             if lease.release_kind in UNCLEAN_ENDS]
    expired = [lease for lease in tx.unreleased_leases()
               if not lease.is_live(now_ms) and lease.renewed_at_ms + lease.ttl_ms >= since]
    for lease in (*ended, *expired):
        counts[lease.lane.casefold()] = counts.get(lease.lane.casefold(), 0) + 1
    return counts


def roster_states(config: SubstrateConfig, policy: SupervisePolicy, *, now_ms: int,
                  pending_ms: int = DEFAULT_PENDING_MS) -> RosterView:
    """One state per live lease on a roster lane, one free state per idle lane."""
    with reading(config) as tx:
        if tx is None:
            leases: list[Lease] = []
            pending: dict[str, int] = {}
            reaps: dict[str, int] = {}
        else:
            every = tx.unreleased_leases()
            leases = [lease for lease in every if lease.is_live(now_ms)]
            recent = [*every, *tx.leases_ended_since(now_ms - pending_ms)]
            pending = _pending_lanes(tx, recent, now_ms, pending_ms)
            reaps = _reap_counts(tx, now_ms, policy.restart_period_ms)
    autopick = {name.casefold() for name in config.lanes.autopick}
    states: list[LaneState] = []
    for lane in _roster(config):
        exclusive = config.lanes.is_exclusive(lane)
        # Several workers on one lane only when a concurrency budget says so.
        repeatable = policy.max_concurrency is not None and not exclusive \
            and lane.casefold() in autopick
        held = [lease for lease in leases if lane_matches(config, lease, lane)]
        count = reaps.get(lane.casefold(), 0)
        states += [_lease_state(config, lease, lane, now_ms=now_ms, repeatable=repeatable,
                                reaps=count)
                   for lease in held]
        if not held or repeatable:
            states.append(LaneState(
                lane=lane, tree=config.lanes.tree_for(lane), is_exclusive=exclusive,
                pending=lane.casefold() in pending and not held, repeatable=repeatable,
                recent_reaps=count))
    return RosterView(states=tuple(states), live=tuple(leases), now_ms=now_ms)
