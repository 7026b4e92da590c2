"""The desk's fold, pure: a lane is judged on its current lease only, an expired lease is
STALLED (never silently free), a spawn waits for its lease, decisions follow aliases."""

from __future__ import annotations

from typing import Any

from dos.admission.lease import Lease
from dos.git.changes import Change
from dos.settings.lanes import LaneTaxonomy
from dos.store.journal import JournalRecord
from dos.store.verdicts import VerdictRecord
from dos.temporal.liveness import LivenessPolicy
from dos.temporal.top_frame import Chip, LaneRow, Sources, Totals, fold

T0 = 1_767_225_600_000
MIN = 60_000
LANES = LaneTaxonomy(concurrent=("src", "docs"), exclusive=("global",),
                     trees={"src": ("src/**",), "docs": ("docs/**",), "global": ("**",)},
                     aliases={"code": "src"})
POLICY = LivenessPolicy()  # window 30 min, heartbeat fresh 5 min, grace 10 min
START, THEIRS, OUTSIDE = (Change("s0", "init", T0 - MIN, ("README.md",)),
                          Change("c1", "A: login", T0 + 2 * MIN, ("src/login.py",)),
                          Change("c2", "docs", T0 + 3 * MIN, ("docs/x.md",)))


def _lease(lease_id: int, holder: str, *, at: int, renewed: int | None = None,
           start: str = "", lane: str = "src", ttl: int = 3_600_000, **extra: Any) -> Lease:
    return Lease(lease_id=lease_id, lane=lane, tree=LANES.tree_for(lane), holder=holder,
                 acquired_at_ms=at, renewed_at_ms=at if renewed is None else renewed,
                 ttl_ms=ttl, start_sha=start, run_id=extra.pop("run_id", ""), **extra)


def _op(op: str, seq: int, at: int, *, lane: str = "src", holder: str = "",
        lease_id: int | None = None) -> JournalRecord:
    return JournalRecord(seq=seq, ts_ms=at, op=op, lane=lane, holder=holder, run_id="",
                         loop_ts="", lease_id=lease_id, payload={}, prev_hash="", hash="")


def _liveness(seq: int, at: int, verdict: str, lane: str = "src") -> VerdictRecord:
    return VerdictRecord(seq=seq, ts_ms=at, syscall="liveness", verdict=verdict, subject="",
                         run_id="", lane=lane, source="cli", detail={}, prev_hash="", hash="")


def _fold(now: int, **sources: Any) -> tuple[dict[str, LaneRow], Totals]:
    rows, totals = fold(Sources(now_ms=now, lanes=LANES, policy=POLICY, **sources))
    return {row.lane: row for row in rows}, totals


def test_a_lane_taken_over_by_a_new_holder_starts_fresh() -> None:
    """The reference counted a lane's progress from its first grant ever: the new holder
    showed ADVANCING on the previous one's commits, releases and verdicts."""
    history = (OUTSIDE, THEIRS, START)
    earlier: dict[str, Any] = {
        "history": history, "verdicts": (_liveness(1, T0 + 2 * MIN, "ADVANCING"),),
        "attempts": (_op("ATTEMPT", 3, T0 + 2 * MIN, lease_id=1),)}
    first = _lease(1, "agent-A", at=T0, start="s0")
    rows, _ = _fold(T0 + 4 * MIN, leases=(first,), **earlier)
    assert (rows["src"].chip, rows["src"].commits_since_grant) == (Chip.ADVANCING, 1)
    assert rows["src"].journaled is not None
    # A released at +5 min; B was granted at +6 min, HEAD at c2, and renews its lease.
    now = T0 + 6 * MIN + POLICY.grace_ms + MIN
    second = _lease(2, "agent-B", at=T0 + 6 * MIN, renewed=now - 5_000, start="c2")
    rows, totals = _fold(now, leases=(second,), ended=(first.replace(
        released_at_ms=T0 + 5 * MIN),), **earlier)
    row = rows["src"]
    assert (row.holder, row.lease_id, row.commits_since_grant) == ("agent-B", 2, 0)
    assert row.chip is Chip.SPINNING, row.liveness_reason
    assert row.journaled is None  # agent-A's ADVANCING is not about agent-B
    assert (row.lease_age_ms, row.heartbeat_age_ms) == (now - T0 - 6 * MIN, 5_000)
    assert (totals.spinning, totals.advancing, totals.free) == (1, 0, 2)


def test_only_commits_in_the_lanes_tree_since_the_grant_count() -> None:
    lease = _lease(1, "agent-A", at=T0 + MIN, start="s0")
    rows, _ = _fold(T0 + 4 * MIN, leases=(lease,), history=(OUTSIDE, THEIRS, START))
    assert rows["src"].commits_since_grant == 1  # c1 (src/), not c2 (docs/)
    # A start SHA older than the commits read: commit time decides.
    rows, _ = _fold(T0 + 4 * MIN, leases=(lease.replace(start_sha="gone"),),
                    history=(OUTSIDE, THEIRS))
    assert rows["src"].commits_since_grant == 1
    rows, _ = _fold(T0 + 4 * MIN, leases=(lease,), history=None)  # git could not be read
    assert rows["src"].commits_since_grant is None


def test_a_stale_heartbeat_past_the_grace_is_stalled() -> None:
    lease = _lease(1, "agent-A", at=T0, start="s0")
    now = T0 + POLICY.grace_ms + MIN
    rows, totals = _fold(now, leases=(lease,), history=(START,))
    assert rows["src"].chip is Chip.STALLED
    assert "heartbeat" in rows["src"].liveness_reason
    assert not rows["src"].expired
    assert totals.stalled == 1
    fresh, _ = _fold(now, leases=(lease.replace(renewed_at_ms=now - 1_000),), history=(START,))
    assert fresh["src"].chip is Chip.SPINNING


def test_a_dead_process_is_stalled_whatever_its_heartbeat() -> None:
    lease = _lease(1, "agent-A", at=T0, pid=4242)
    rows, _ = _fold(T0 + 1_000, leases=(lease,), alive={1: False})
    assert rows["src"].chip is Chip.STALLED


def test_an_expired_lease_is_stalled_not_free() -> None:
    lease = _lease(1, "agent-A", at=T0, ttl=60_000)
    rows, totals = _fold(T0 + 2 * MIN, leases=(lease,))
    assert (rows["src"].chip, rows["src"].expired) == (Chip.STALLED, True)
    assert rows["src"].liveness_reason.startswith("its lease expired 60000 ms ago")
    assert totals.free == 2


def test_a_spawn_shows_until_its_lease_is_taken() -> None:
    spawn = _op("SPAWN", 5, T0, lane="docs", holder="launcher-9")
    rows, totals = _fold(T0 + 30_000, spawns=(spawn,))
    assert (rows["docs"].chip, rows["docs"].holder) == (Chip.SPAWNING, "launcher-9")
    assert totals.spawning == 1
    taken = _lease(1, "worker", lane="docs", at=T0 + 10_000)
    rows, _ = _fold(T0 + 30_000, spawns=(spawn,), ended=(taken,))
    assert rows["docs"].chip is Chip.FREE
    rows, _ = _fold(T0 + 200_000, spawns=(spawn,))
    assert rows["docs"].chip is Chip.FREE  # a spawn never followed up is forgotten


def test_rows_keep_the_declared_order_and_count_decisions_by_alias() -> None:
    held = (_lease(7, "x", lane="global", at=T0), _lease(3, "y", lane="extra", at=T0))
    rows, totals = fold(Sources(now_ms=T0 + 1_000, lanes=LANES, policy=POLICY, leases=held,
                                pending={"code": 2, "SRC": 1, "global": 4}))
    assert [(row.lane, row.chip.value) for row in rows] == [
        ("src", "FREE"), ("docs", "FREE"), ("global", "ADVANCING"), ("extra", "ADVANCING")]
    assert [row.pending_decisions for row in rows] == [3, 0, 4, 0]
    assert rows[2].is_exclusive
    assert totals.line() == ("4 lanes · 2 advancing · 0 spinning · 0 stalled · 0 spawning · "
                             "2 free")
