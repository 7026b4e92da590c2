"""Lane leases over the store: acquire, release, heartbeat, reap and the live set.

Admission is one transaction: read the live leases, :func:`dos.admission.arbiter.arbitrate`,
insert the lease, append the journal record. Liveness is judged by the store's
clock; a lease past its TTL never blocks and is recorded as EXPIRE by the next
write that sees it. ``lease_id`` grows strictly and is the holder's fencing token.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from dos import structs
from dos.admission._lease_read import live_leases, resolved_tree
from dos.admission.holder import check_run_id, host_id, iso_utc, resolve_owner
from dos.admission.lease import Lease, LeaseRequest
from dos.admission.lease_intent import HaltResult, SpawnResult, halt, spawn
from dos.admission.lease_ops import (
    HeartbeatResult,
    ReapResult,
    ReleaseResult,
    expire_dead,
    heartbeat,
    lane_matches,
    reap,
    release,
)
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.limits import MAX_LEASE_TTL_S
from dos.store import writing
from dos.store.journal import JournalEntry
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

    from dos.admission.arbiter import Decision
    from dos.store import StoreTx

__all__ = [
    "DEFAULT_TTL_S",
    "MAX_TTL_S",
    "PAUSE_ENV",
    "HaltResult",
    "HeartbeatResult",
    "LeaseResult",
    "ReapResult",
    "ReleaseResult",
    "SpawnResult",
    "acquire",
    "admit",
    "halt",
    "heartbeat",
    "lane_matches",
    "live_leases",
    "reap",
    "release",
    "resolved_tree",
    "spawn",
    "ttl_ms",
]

DEFAULT_TTL_S = 300.0
MAX_TTL_S = MAX_LEASE_TTL_S  # ten years: longer is a mistake, and must stay storable
PAUSE_ENV = "DOS_TEST_PAUSE_IN_ACQUIRE"


@struct
class LeaseResult:
    """The decision, and the lease it granted (``None`` on a refusal)."""

    decision: Decision
    owner: str
    lease: Lease | None
    seq: int
    run_id: str = ""
    renewed: bool = False  # the holder already held this lane: its lease was renewed

    @property
    def acquired(self) -> bool:
        return self.lease is not None

    def to_dict(self) -> dict[str, Any]:
        payload = self.decision.to_dict()
        payload.update(journaled=True, owner=self.owner, seq=self.seq, renewed=self.renewed,
                       lease_id=self.lease.lease_id if self.lease else None)
        if self.lease is not None:
            payload.update(loop_ts=self.lease.loop_ts, ttl_ms=self.lease.ttl_ms,
                           expires_at_ms=self.lease.renewed_at_ms + self.lease.ttl_ms)
        if self.run_id:
            payload["run_id"] = self.run_id
        return payload


def acquire(
    config: SubstrateConfig, request: LeaseRequest, *, owner: str = "",
    ttl_s: float = DEFAULT_TTL_S, run_id: str = "", loop_ts: str = "",
    host_id: str | None = None, pid: int | None = None, extra_leases: Sequence[Lease] = (),
    start_sha: str | None = None,
) -> LeaseResult:
    """Decide ``request`` and, when admitted, grant it — atomically.

    A holder that asks again for a lane it holds live (same tree and mode) gets that
    lease renewed — the same lease id, a new ``renewed_at_ms``, journaled as a
    HEARTBEAT — instead of a refusal by its own lease. ``extra_leases`` are counted as
    live besides the store's (they can only refuse more). The refusal is journaled
    too, with its reason class. The lease records ``start_sha`` (default: the
    workspace's HEAD, read before the transaction) so that liveness can count the
    commits its holder lands in its tree.
    """
    from dos.git.head_file import head_sha

    holder = resolve_owner(owner or request.owner, allow_host_pid=False)
    run = check_run_id(run_id)
    ttl_ms = _ttl_ms(ttl_s)
    request = structs.replace(request, owner=holder, tree=resolved_tree(request, config))
    start = head_sha(config.root) if start_sha is None else start_sha
    with writing(config) as tx:
        result = admit(tx, config, request, run=run, ttl_ms=ttl_ms, loop_ts=loop_ts,
                       host_id=host_id, pid=pid, extra_leases=extra_leases, start_sha=start)
        _pause_for_test()
    return result


def admit(tx: StoreTx, config: SubstrateConfig, request: LeaseRequest, *, run: str,
          ttl_ms: int, loop_ts: str = "", host_id: str | None = None, pid: int | None = None,
          extra_leases: Sequence[Lease] = (), start_sha: str = "") -> LeaseResult:
    """The admission step inside an open write transaction ``tx``: renew the requester's
    own lease, or arbitrate against the live set and grant, journaling the decision.
    ``request`` carries its resolved owner and tree. ``dos next`` calls it in the same
    transaction that chose the unit, so the choice and the grant commit together."""
    from dos.admission.arbiter import (
        arbitrate,  # imported here: reads of the live set do not need it
    )

    holder = request.owner
    now = tx.now_ms()
    held = expire_dead(tx, now)
    own = _held_by_requester(config, request, held, run=run, loop_ts=loop_ts)
    if own is not None:
        return _renew(tx, own, now, run=run)
    live = [*held, *extra_leases]
    decision = arbitrate(request, live, config)
    if decision.acquired:
        decision = _honour_lock_delay(tx, config, request, decision=decision, live=live,
                                      now=now)
    lease = None
    if decision.acquired:
        lease = tx.insert_lease(Lease(
            lease_id=0, lane=decision.lane, tree=decision.tree, holder=holder,
            exclusive_lane=decision.exclusive, mode=decision.mode,
            host_id=_host(host_id), pid=os.getpid() if pid is None else pid, run_id=run,
            loop_ts=loop_ts or iso_utc(now), acquired_at_ms=now, renewed_at_ms=now,
            ttl_ms=ttl_ms, start_sha=start_sha))
    record = tx.append(_decision_entry(request, decision, lease, holder=holder, run=run,
                                       loop_ts=loop_ts, host=_host(host_id)))
    return LeaseResult(decision=decision, owner=holder, lease=lease, seq=record.seq,
                       run_id=run)


def _held_by_requester(config: SubstrateConfig, request: LeaseRequest, live: list[Lease],
                       *, run: str, loop_ts: str) -> Lease | None:
    """The requester's own live lease on the lane it names, when the request asks for
    nothing that lease does not already give (its tree, its mode, its run and loop)."""
    if not request.lane.strip():
        return None  # an auto-pick asks for any lane, not for this one again
    for lease in reversed(live):
        if lease.holder == request.owner and lane_matches(config, lease, request.lane) \
                and lease.mode == request.mode \
                and (not request.tree or tuple(request.tree) == lease.tree) \
                and (not run or not lease.run_id or run == lease.run_id) \
                and (not loop_ts or loop_ts == lease.loop_ts):
            return lease
    return None


def _renew(tx: StoreTx, lease: Lease, now: int, *, run: str) -> LeaseResult:
    from dos.admission.arbiter import Decision
    from dos.verdicts.admission import ArbitrateToken

    tx.renew_lease(lease.lease_id, now)
    renewed = lease.replace(renewed_at_ms=now)
    record = tx.append(JournalEntry(
        "HEARTBEAT", lane=lease.lane, holder=lease.holder, run_id=lease.run_id,
        loop_ts=lease.loop_ts, lease_id=lease.lease_id,
        payload={"host_id": host_id(), "pid": lease.pid, "renewed_at_ms": now,
                 "via": "acquire"}))
    decision = Decision(
        ArbitrateToken.ACQUIRE, lane=lease.lane, tree=lease.tree,
        exclusive=lease.exclusive_lane, mode=lease.mode, reason=(
            f"RENEWED: {lease.holder} already holds lane '{lease.lane}' (lease "
            f"#{lease.lease_id}); renewed until {iso_utc(now + lease.ttl_ms)}"))
    return LeaseResult(decision=decision, owner=lease.holder, lease=renewed, seq=record.seq,
                       run_id=run or lease.run_id, renewed=True)


def _host(explicit: str | None) -> str:
    return explicit if explicit is not None else host_id()


def ttl_ms(ttl_s: float) -> int:
    """A lease TTL in milliseconds; a usage error when no store could keep it."""
    return _ttl_ms(ttl_s)


def _ttl_ms(ttl_s: float) -> int:
    # Bounded at the edge: a TTL the store could not keep (or read back) is a usage error.
    if not 0 < ttl_s <= MAX_TTL_S:  # also false for NaN
        raise UsageError(f"a lease TTL must be more than 0 and at most {MAX_TTL_S} s "
                         f"(10 years), got {ttl_s} s",
                         hint="pass --ttl-seconds N with 0 < N <= 315360000 (default 300)")
    return max(1, round(ttl_s * 1000))


def _decision_entry(request: LeaseRequest, decision: Decision, lease: Lease | None, *,
                    holder: str, run: str, loop_ts: str, host: str) -> JournalEntry:
    payload: dict[str, Any] = {
        "reason": decision.reason, "reason_class": decision.reason_class,
        "auto_picked": decision.auto_picked, "requested_lane": request.lane,
        "requested_tree": list(request.tree), "mode": decision.mode, "host_id": host,
        "blockers": list(decision.blockers),
    }
    if lease is None:
        return JournalEntry("REFUSE", lane=request.lane or decision.lane, holder=holder,
                            run_id=run, loop_ts=loop_ts, payload=payload)
    payload["lease"] = lease.to_dict()
    return JournalEntry("ACQUIRE", lane=lease.lane, holder=holder, run_id=run,
                        loop_ts=lease.loop_ts, lease_id=lease.lease_id, payload=payload)


def _lock_delayed(tx: StoreTx, config: SubstrateConfig, holder: str, now: int,
                  live: list[Lease]) -> list[Lease]:
    """The leases that ended uncleanly within the delay and are not yet settled.

    Only unclean ends are read (their own index): clean releases, however many there
    were within the delay, cost nothing here.
    """
    delay_ms = config.store.lock_delay_s * 1000
    if delay_ms <= 0:
        return []
    ended = tx.leases_ended_uncleanly_since(now - delay_ms + 1)
    return [lease for lease in ended
            if lease.holder != holder and not _held_again(tx, lease, live)]


def _held_again(tx: StoreTx, lease: Lease, live: list[Lease]) -> bool:
    """Has ``lease``'s holder held its lane again since? Then its unclean end is settled:
    the old holder may take its tree back at once (it is the one that may still be
    writing), and once it has, nobody waits on that end any more."""
    def again(other: Lease) -> bool:
        return other.lane == lease.lane and other.lease_id > lease.lease_id

    if any(other.holder == lease.holder and again(other) for other in live):
        return True
    # Newest first from the holder index: stop at the first lease older than this one.
    for other in tx.holder_leases(lease.holder):
        if other.lease_id <= lease.lease_id:
            return False
        if again(other):
            return True
    return False


def _honour_lock_delay(tx: StoreTx, config: SubstrateConfig, request: LeaseRequest, *,
                       decision: Decision, live: list[Lease], now: int) -> Decision:
    from dos.admission.arbiter import Decision, arbitrate
    from dos.verdicts.admission import ArbitrateToken

    delayed = _lock_delayed(tx, config, request.owner, now, live)
    if not delayed:
        return decision
    ghosts = [lease.replace(released_at_ms=None, release_kind="")
              for lease in delayed]
    retry = arbitrate(request, [*live, *ghosts], config)
    if retry.acquired:
        return retry  # an auto-pick can move to a lane clear of the delayed trees
    ghost_ids = {lease.lease_id for lease in ghosts}
    blocking = [lease for lease in delayed if lease.lease_id in retry.blockers] or delayed
    first = blocking[0]
    ended = first.released_at_ms or now
    until = ended + config.store.lock_delay_s * 1000
    return Decision(
        ArbitrateToken.REFUSE, lane=decision.lane, tree=decision.tree,
        exclusive=decision.exclusive, mode=decision.mode, reason_class="LOCK_DELAY",
        blockers=tuple(sorted(ghost_ids & set(retry.blockers) or ghost_ids)),
        free_lanes=retry.free_lanes, reason=(
            f"LOCK_DELAY: lease #{first.lease_id} on lane '{first.lane}' (held by "
            f"{first.holder}) ended uncleanly ({first.release_kind}) at {iso_utc(ended)}; "
            f"its tree is not re-granted to another holder until {iso_utc(until)} "
            f"({max(0, until - now) // 1000 + 1} s), in case the old holder is still "
            "writing. Retry after that."))


def _pause_for_test() -> None:
    """Tests kill a process here, inside the open transaction (``DOS_TEST_PAUSE_IN_ACQUIRE``)."""
    marker = os.environ.get(PAUSE_ENV, "")
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(0.05)

