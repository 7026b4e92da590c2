"""``dos top`` as data: one row per lease not yet released, one per idle lane.

Pure: the leases, the newest commits, verdict and journal records and the clock come in
as :class:`Sources`. A held lane is judged by the liveness rules on evidence from its
*current* lease only — commits in its tree since the grant, its own ATTEMPT records, its
heartbeat — so a lane taken over by a new holder starts fresh: the previous holder's
commits, releases and liveness verdicts never count for the new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, Protocol

from dos.admission.lease import Lease
from dos.admission.tree import matches
from dos.settings.lanes import LaneTaxonomy
from dos.structs import field, struct
from dos.temporal.liveness import LivenessEvidence, LivenessPolicy, LivenessVerdict, classify

__all__ = ["SPAWN_PENDING_MS", "Chip", "LaneRow", "Sources", "Totals", "fold"]

SPAWN_PENDING_MS = 120_000  # a SPAWN not followed by a lease this long ago is forgotten


class Chip(StrEnum):
    """A lane's state on the desk: a liveness verdict, or no holder yet / at all."""

    ADVANCING = "ADVANCING"
    SPINNING = "SPINNING"
    STALLED = "STALLED"
    SPAWNING = "SPAWNING"
    FREE = "FREE"


class Landed(Protocol):
    """A commit on HEAD's first-parent line (:class:`dos.git.changes.Change`)."""

    @property
    def sha(self) -> str: ...
    @property
    def committed_ms(self) -> int: ...
    @property
    def files(self) -> tuple[str, ...]: ...


class Judged(Protocol):
    """A verdict-journal record (:class:`dos.store.verdicts.VerdictRecord`)."""

    seq: int
    ts_ms: int
    syscall: str
    verdict: str
    lane: str
    run_id: str
    source: str


class Journaled(Protocol):
    """An ops-journal record (:class:`dos.store.journal.JournalRecord`)."""

    @property
    def ts_ms(self) -> int: ...
    @property
    def lane(self) -> str: ...
    @property
    def holder(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def lease_id(self) -> int | None: ...


@struct
class Sources:
    """Everything one frame is folded from. ``history`` is None when git could not be
    read; ``verdicts`` are newest first; ``alive`` maps a lease id to its process probe."""

    now_ms: int
    lanes: LaneTaxonomy
    policy: LivenessPolicy
    leases: Sequence[Lease] = ()
    ended: Sequence[Lease] = ()
    history: Sequence[Landed] | None = ()
    verdicts: Sequence[Judged] = ()
    attempts: Sequence[Journaled] = ()
    spawns: Sequence[Journaled] = ()
    alive: Mapping[int, bool | None] | None = None
    pending: Mapping[str, int] | None = None
    # a frame asks for the same few names once per (verdict, lease) pair
    _keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def key(self, lane: str) -> str:
        known = self._keys.get(lane)
        if known is None:
            known = self._keys[lane] = (self.lanes.resolve(lane) or lane.strip()).casefold()
        return known


@struct
class LaneRow:
    """One line of the desk. Ages are milliseconds by the store's clock; the lease fields
    are None on a FREE or SPAWNING row; ``commits_since_grant`` is None when git could
    not say."""

    lane: str
    chip: Chip
    holder: str = ""
    is_exclusive: bool = False
    lease_id: int | None = None
    run_id: str = ""
    loop_ts: str = ""
    acquired_at_ms: int | None = None
    lease_age_ms: int | None = None
    heartbeat_age_ms: int | None = None
    liveness_reason: str = ""
    commits_since_grant: int | None = None
    pending_decisions: int = 0
    expired: bool = False
    journaled: Judged | None = None

    def to_dict(self) -> dict[str, Any]:
        seen = self.journaled
        return {
            "lane": self.lane, "chip": self.chip.value, "holder": self.holder,
            "is_exclusive": self.is_exclusive, "lease_id": self.lease_id,
            "run_id": self.run_id, "loop_ts": self.loop_ts,
            "acquired_at_ms": self.acquired_at_ms, "lease_age_ms": self.lease_age_ms,
            "heartbeat_age_ms": self.heartbeat_age_ms, "liveness_reason": self.liveness_reason,
            "commits_since_grant": self.commits_since_grant,
            "pending_decisions": self.pending_decisions, "expired": self.expired,
            "journaled_liveness": None if seen is None else {
                "seq": seen.seq, "ts_ms": seen.ts_ms, "verdict": seen.verdict,
                "source": seen.source}}


@struct
class Totals:
    lanes: int = 0
    advancing: int = 0
    spinning: int = 0
    stalled: int = 0
    spawning: int = 0
    free: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"lanes": self.lanes, "advancing": self.advancing, "spinning": self.spinning,
                "stalled": self.stalled, "spawning": self.spawning, "free": self.free}

    def line(self) -> str:
        return (f"{self.lanes} lanes · {self.advancing} advancing · {self.spinning} spinning · "
                f"{self.stalled} stalled · {self.spawning} spawning · {self.free} free")


def commits_since_grant(src: Sources, lease: Lease) -> list[Landed] | None:
    """Commits after the lease's start SHA (its grant) that change a file in its tree;
    by commit time when the start SHA is not among the commits read."""
    if src.history is None:
        return None
    shas = [change.sha for change in src.history]
    if lease.start_sha and lease.start_sha in shas:
        newer = list(src.history[:shas.index(lease.start_sha)])
    else:
        newer = [change for change in src.history if change.committed_ms >= lease.acquired_at_ms]
    tree = lease.tree or src.lanes.tree_for(lease.lane)
    return [change for change in newer
            if any(matches(path, glob) for path in change.files for glob in tree)]


def _own_attempts(src: Sources, lease: Lease) -> list[Journaled]:
    return [record for record in src.attempts
            if lease.acquired_at_ms <= record.ts_ms <= src.now_ms
            and (record.lease_id == lease.lease_id
                 or (bool(lease.run_id) and record.run_id == lease.run_id))]


def judge_lease(src: Sources, lease: Lease,
                commits: Sequence[Landed]) -> LivenessVerdict:
    """The liveness verdict on evidence gathered since this lease's grant only."""
    since = src.now_ms - src.policy.window_ms
    events = _own_attempts(src, lease)
    moments = [change.committed_ms for change in commits] + [r.ts_ms for r in events]
    evidence = LivenessEvidence(
        run_started_ms=lease.acquired_at_ms, now_ms=src.now_ms,
        commits_since_start=len(commits),
        commits_in_window=sum(change.committed_ms >= since for change in commits),
        journal_events_in_window=sum(record.ts_ms >= since for record in events),
        last_heartbeat_age_ms=max(0, src.now_ms - lease.renewed_at_ms),
        last_progress_age_ms=max(0, src.now_ms - max(moments)) if moments else None,
        process_alive=(src.alive or {}).get(lease.lease_id))
    return classify(evidence, src.policy)


def _journaled(src: Sources, lease: Lease) -> Judged | None:
    """The newest liveness verdict recorded about this lease's lane or run since its grant."""
    lane = src.key(lease.lane)
    return next((seen for seen in src.verdicts
                 if seen.syscall == "liveness" and seen.ts_ms >= lease.acquired_at_ms
                 and ((bool(seen.lane) and src.key(seen.lane) == lane)
                      or (bool(lease.run_id) and seen.run_id == lease.run_id))), None)


def _held_row(src: Sources, lease: Lease) -> LaneRow:
    commits = commits_since_grant(src, lease)
    verdict = judge_lease(src, lease, commits or [])
    chip, reason = Chip(verdict.verdict.value), verdict.reason
    expired = not lease.is_live(src.now_ms)
    if expired:
        lapsed = src.now_ms - lease.renewed_at_ms - lease.ttl_ms
        chip, reason = Chip.STALLED, (
            f"its lease expired {lapsed} ms ago and was never released — the holder "
            f"stopped renewing it (the lane may be taken); {reason}")
    return LaneRow(
        lane=lease.lane, chip=chip, holder=lease.holder,
        is_exclusive=lease.exclusive_lane or src.lanes.is_exclusive(lease.lane),
        lease_id=lease.lease_id, run_id=lease.run_id, loop_ts=lease.loop_ts,
        acquired_at_ms=lease.acquired_at_ms,
        lease_age_ms=max(0, src.now_ms - lease.acquired_at_ms),
        heartbeat_age_ms=max(0, src.now_ms - lease.renewed_at_ms), liveness_reason=reason,
        commits_since_grant=None if commits is None else len(commits),
        pending_decisions=_pending(src, lease.lane), expired=expired,
        journaled=_journaled(src, lease))


def _pending(src: Sources, lane: str) -> int:
    counts = src.pending or {}
    return sum(n for name, n in counts.items() if src.key(name) == src.key(lane))


def _spawn_for(src: Sources, lane: str) -> Journaled | None:
    """The newest SPAWN on ``lane`` still waiting for its lease."""
    key = src.key(lane)
    for record in src.spawns:
        if src.key(record.lane) != key or not \
                src.now_ms - SPAWN_PENDING_MS <= record.ts_ms <= src.now_ms:
            continue
        taken = any(src.key(lease.lane) == key and lease.acquired_at_ms >= record.ts_ms
                    for lease in (*src.leases, *src.ended))
        return None if taken else record
    return None


def _idle_row(src: Sources, lane: str) -> LaneRow:
    exclusive, pending = src.lanes.is_exclusive(lane), _pending(src, lane)
    spawn = _spawn_for(src, lane)
    if spawn is None:
        return LaneRow(lane=lane, chip=Chip.FREE, is_exclusive=exclusive,
                       liveness_reason="no lease held", pending_decisions=pending)
    age = src.now_ms - spawn.ts_ms
    return LaneRow(lane=lane, chip=Chip.SPAWNING, holder=spawn.holder, is_exclusive=exclusive,
                   run_id=spawn.run_id, pending_decisions=pending, liveness_reason=(
                       f"a worker was spawned {age} ms ago and has not taken its lease yet"))


def _order(src: Sources) -> dict[str, int]:
    return {src.key(lane): index for index, lane in enumerate(src.lanes.declared())}


def fold(src: Sources) -> tuple[tuple[LaneRow, ...], Totals]:
    """Every row, declared lanes first in their declared order, and the totals line."""
    rows = [_held_row(src, lease) for lease in src.leases]
    held = {src.key(lease.lane) for lease in src.leases}
    rows += [_idle_row(src, lane) for lane in src.lanes.declared() if src.key(lane) not in held]
    order = _order(src)
    rows.sort(key=lambda row: (order.get(src.key(row.lane), len(order)), src.key(row.lane),
                               row.lease_id or 0))
    chips = [row.chip for row in rows]
    totals = Totals(lanes=len({src.key(row.lane) for row in rows}),
                    advancing=chips.count(Chip.ADVANCING), spinning=chips.count(Chip.SPINNING),
                    stalled=chips.count(Chip.STALLED), spawning=chips.count(Chip.SPAWNING),
                    free=chips.count(Chip.FREE))
    return tuple(rows), totals
