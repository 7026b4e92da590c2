"""``dos health``: the lane's fitness from the workspace it is given — live leases through
the arbiter (tree algebra and ``[overlap]`` policy), the lane's attempts and halts from
the store, and archive commits under the layout's run-record directories."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.store.attempts import AttemptRecord
from dos.store.journal import JournalRecord
from dos.temporal.health import HealthVerdict, LaneRun, Overlap

__all__ = ["health", "health_json", "lane_runs"]

_SCAN_LIMIT = 20_000  # journal records read newest first looking for the lane's runs
_OUTCOME_KINDS = {"shipped": "ship", "blocked": "blocker", "error": "blocker"}


def _overlap(config: SubstrateConfig, lane: str, owner: str) -> Overlap | None:
    from dos.admission.arbiter import arbitrate
    from dos.admission.lease import LeaseRequest
    from dos.lane_lease import live_leases

    live = [lease for lease in live_leases(config) if not owner or lease.holder != owner]
    decision = arbitrate(LeaseRequest(lane=lane, owner=owner or "dos-health"), live, config)
    if decision.acquired or not decision.blockers:
        return None
    first = next(lease for lease in live if lease.lease_id == decision.blockers[0])
    return Overlap(first.lane, first.holder, first.lease_id, decision.reason)


def _halt_run(record: JournalRecord) -> LaneRun:
    return LaneRun(f"seq{record.seq}:HALT", "stop", str(record.payload.get("reason", "")))


def _attempt_run(row: AttemptRecord) -> LaneRun:
    outcome = row.outcome.strip().lower()
    cause = row.detail.get("cause") or row.detail.get("reason") or outcome
    return LaneRun(f"seq{row.seq}:ATTEMPT:{outcome or '?'}", _OUTCOME_KINDS.get(outcome, "other"),
                   str(cause))


def _store_runs(config: SubstrateConfig, lane: str,
                window: int) -> list[tuple[int, int, LaneRun]]:
    from dos.store import reading

    found: list[tuple[int, int, LaneRun]] = []
    with reading(config) as tx:
        if tx is None:
            return found
        # newest first, bounded scans: the attempts table outlives journal compaction
        rows = tx.attempts(newest_first=True, limit=_SCAN_LIMIT)
        found += [(r.attempted_at_ms, r.seq, _attempt_run(r)) for r in rows
                  if r.lane == lane][:window]
        halts = tx.journal_records(op="HALT", newest_first=True, limit=_SCAN_LIMIT)
        found += [(r.ts_ms, r.seq, _halt_run(r)) for r in halts if r.lane == lane][:window]
    return found


def lane_runs(config: SubstrateConfig, lane: str, window: int) -> list[LaneRun]:
    """The lane's recent runs, newest first: store records and archive commits."""
    from dos.temporal.health import archive_run

    timed = _store_runs(config, lane, window)
    if config.paths.run_records and (config.root / ".git").exists():
        from dos.git.history import recent_under

        for at_ms, subject in recent_under(config.root, "HEAD", max(40, 4 * window),
                                           config.paths.run_records):
            run = archive_run(subject, lane)
            if run is not None:
                timed.append((at_ms, 0, run))
    timed.sort(key=lambda item: (-item[0], -item[1]))  # newest first; seq orders one instant
    return [run for _at, _seq, run in timed]


def health(config: SubstrateConfig, *, lane: str, owner: str = "",
           window: int = 12) -> HealthVerdict:
    """PROCEED, ROUTE_UNSTICK, ROUTE_REPLAN or OVERLAP_BLOCK for ``lane``; ``owner``'s own
    leases never block it."""
    from dos.admission.declared import declared_lane
    from dos.temporal.health import classify

    name = declared_lane(config, lane)
    return classify(name, lane_runs(config, name, window),
                    overlap=_overlap(config, name, owner.strip()), window=window)


def health_json(verdict: HealthVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "health"))
