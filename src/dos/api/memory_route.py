"""``dos memory verify --route``: hand each STALE note to ``dos decisions`` once, and close
the routed rows a later sweep no longer supports. One store transaction: a route that
fails writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dos.api.memory import Sweep, note_object
from dos.config import SubstrateConfig
from dos.record.decisions.memory import Finding, Routed
from dos.record.decisions.memory_plan import Judged, Settle
from dos.render import with_schema
from dos.structs import struct
from dos.truth.memory.ladder import MemoryVerdict
from dos.verdicts.memory import MemoryToken

__all__ = ["Routing", "route", "routing_json"]


@struct
class Routing:
    """What one sweep changed in the queue: the rows raised, the rows it closed (with
    the seq of each closing DECIDE) and the routed rows it left as they were."""

    raised: tuple[Routed, ...] = ()
    settled: tuple[tuple[Settle, int], ...] = ()
    kept: tuple[Routed, ...] = ()


def _judged(store: Path, verdict: MemoryVerdict) -> Judged:
    note, culprit = verdict.note, verdict.culprit
    subject = str(store / note.file)
    if verdict.token is not MemoryToken.STALE or culprit is None:
        return Judged(subject, note.name, verdict.token.value)
    claim = culprit.claim
    return Judged(subject, note.name, verdict.token.value, Finding(
        subject=subject, file=note.file, memory=note.name, store=str(store), claim=claim.raw,
        claim_kind=claim.kind.value, polarity=claim.polarity.value, source=culprit.source,
        ground_truth=culprit.ground_truth))


def route(config: SubstrateConfig, sweep: Sweep) -> Routing:
    """Bring the decisions queue up to ``sweep``: UNVERIFIABLE notes are never routed
    (an opinion cannot be contradicted), and a sweep with nothing to raise never
    creates the store to say so."""
    from dos.record.decisions.memory_plan import finding_entry, plan_route, settle_entry
    from dos.record.decisions.reader import memory_routed
    from dos.store import updating, writing

    judged = [_judged(sweep.store, verdict) for verdict in sweep.verdicts]
    opening = writing if any(note.finding for note in judged) else updating
    with opening(config) as tx:
        if tx is None:
            return Routing()
        plan = plan_route(judged, memory_routed(tx), str(sweep.store))
        settled = tuple((item, tx.append(settle_entry(item)).seq) for item in plan.settled)
        raised = []
        for finding in plan.raised:
            record = tx.append(finding_entry(finding))
            raised.append(Routed(finding, record.seq, record.ts_ms))
    return Routing(tuple(raised), settled, plan.kept)


def _row(routed: Routed, **extra: Any) -> dict[str, Any]:
    found = routed.finding
    return {"memory": found.memory, "file": found.file, "handle": routed.handle, **extra}


def routing_json(sweep: Sweep, routing: Routing) -> dict[str, Any]:
    """``dos memory verify --route --json``: the notes, and what reached the queue."""
    payload = {"notes": [note_object(verdict) for verdict in sweep.verdicts], "route": {
        "raised": [_row(r, seq=r.seq, claim=r.finding.claim,
                        ground_truth=r.finding.ground_truth) for r in routing.raised],
        "settled": [_row(item.routed, seq=seq, why=item.why) for item, seq in routing.settled],
        "kept": [_row(r, state=r.closed_by or "open") for r in routing.kept]}}
    return with_schema(payload, "memory")  # type: ignore[no-any-return]
