"""What one ``dos memory verify --route`` sweep appends (pure): a finding for each STALE
note not already routed with that finding, a settle for each open finding the sweep no
longer supports. A sweep that finds what the last one found appends nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dos.record.decisions.memory import MEMORY_OP, MEMORY_TOKEN, ROUTER, SETTLE, Finding, Routed
from dos.record.decisions.model import Kind
from dos.record.decisions.sightings import DECIDE
from dos.store.journal import JournalEntry
from dos.structs import struct

__all__ = ["Judged", "RoutePlan", "Settle", "finding_entry", "plan_route", "settle_entry"]


@struct
class Judged:
    """One note of this sweep: its path, its verdict token, its finding when STALE."""

    subject: str
    memory: str
    token: str
    finding: Finding | None = None


@struct
class Settle:
    routed: Routed
    why: str


@struct
class RoutePlan:
    raised: tuple[Finding, ...] = ()
    settled: tuple[Settle, ...] = ()
    kept: tuple[Routed, ...] = ()  # already routed with this finding: open or decided


def _already(held: Routed, finding: Finding) -> bool:
    """Routed with the same finding and not settled since: open, or the operator's."""
    return held.closed_by != SETTLE and held.finding.fingerprint == finding.fingerprint


def _why(note: Judged) -> str:
    if note.finding is None:
        return f"{note.memory!r} is {note.token} now"
    return (f"{note.memory!r} is stale for another reason now: {note.finding.claim!r} → "
            f"{note.finding.ground_truth}")


def plan_route(judged: Iterable[Judged], routed: Mapping[str, Routed], store: str
               ) -> RoutePlan:
    """The appends that bring the queue up to this sweep of ``store``."""
    raised: list[Finding] = []
    settled: list[Settle] = []
    kept: list[Routed] = []
    seen: set[str] = set()
    for note in judged:
        seen.add(note.subject)
        held = routed.get(note.subject)
        if held is not None and note.finding is not None and _already(held, note.finding):
            kept.append(held)
            continue
        if held is not None and held.open:
            settled.append(Settle(held, _why(note)))
        if note.finding is not None:
            raised.append(note.finding)
    settled += [Settle(held, f"{held.finding.memory!r} is no longer in {store}")
                for subject, held in sorted(routed.items())
                if held.open and subject not in seen and held.finding.store == store]
    return RoutePlan(tuple(raised), tuple(settled), tuple(kept))


def finding_entry(finding: Finding) -> JournalEntry:
    return JournalEntry(MEMORY_OP, holder=ROUTER, payload=finding.payload())


def settle_entry(settle: Settle) -> JournalEntry:
    """A DECIDE closing the routed row, as the operator's resolve would (who: the sweep)."""
    held = settle.routed
    return JournalEntry(DECIDE, holder=ROUTER, payload={
        "decision": SETTLE, "handle": held.handle, "kind": Kind.MEMORY_STALE.value,
        "reason_token": MEMORY_TOKEN, "subject": held.finding.subject, "note": settle.why,
        "command": "", "through": {"ops": held.seq}, "number": 0})
