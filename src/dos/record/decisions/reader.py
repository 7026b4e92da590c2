"""Reading what the queue needs from one store transaction, bounded: each source by
its index (ops by op, verdicts by syscall), only inside the window, only after a
cursor, only up to the heads read first (a record committed meanwhile waits for the
next read)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dos.admission.lease import Lease
from dos.record.decisions.ledger import Ledger
from dos.record.decisions.model import Point, Resolution
from dos.record.decisions.sightings import (
    DECIDE,
    escalations,
    of_ops,
    of_verdict,
    override_of,
    resolution_of,
)
from dos.record.verdict_event import VerdictEvent
from dos.store.journal import JournalRecord
from dos.store.protocol import StoreTx

__all__ = ["Heads", "feed", "heads", "history", "lease_facts", "new_decisions",
           "resolutions"]

_PAGE = 2000
_DECISIONS_KEPT = 1000  # resolutions read back (they are rare: one per operator act)
_HISTORY = 50
_RAISING_OPS = ("REFUSE", "HALT")
_OVERRIDE_OPS = ("REAP", "MUTEX_RELEASE")
_VERDICT_SYSCALLS = ("arbitrate", "loop")


@dataclass(frozen=True)
class Heads:
    """The newest seq of each journal when the read began."""

    ops: int
    verdicts: int


def heads(tx: StoreTx) -> Heads:
    newest = tx.journal_records(limit=1, newest_first=True)
    return Heads(newest[0].seq if newest else 0, tx.verdict_span()[2])


def _ops(tx: StoreTx, op: str, *, after: int, head: int, since_ms: int | None
         ) -> Iterator[JournalRecord]:
    while after < head:
        page = tx.journal_records(op=op, after_seq=after, since_ms=since_ms, limit=_PAGE)
        yield from (record for record in page if record.seq <= head)
        if len(page) < _PAGE:
            return
        after = page[-1].seq


def _verdicts(tx: StoreTx, syscall: str, *, after: int, head: int, since_ms: int
              ) -> Iterator[VerdictEvent]:
    while after < head:
        page = tx.verdict_records(syscall=syscall, after_seq=after, since_ms=since_ms,
                                  limit=_PAGE)
        for record in page:
            if record.seq <= head:
                yield VerdictEvent(seq=record.seq, ts_ms=record.ts_ms, syscall=record.syscall,
                                   verdict=record.verdict, source=record.source,
                                   subject=record.subject, run_id=record.run_id,
                                   lane=record.lane, detail=dict(record.detail))
        if len(page) < _PAGE:
            return
        after = page[-1].seq


def resolutions(tx: StoreTx) -> list[Resolution]:
    """The newest DECIDE records, oldest first."""
    newest = tx.journal_records(op=DECIDE, limit=_DECISIONS_KEPT, newest_first=True)
    return [found for record in reversed(newest) if (found := resolution_of(record))]


def new_decisions(tx: StoreTx, *, after: int, head: int) -> bool:
    """Whether a DECIDE record was appended after ``after`` (then the fold starts over)."""
    return any(record.seq <= head for record in
               tx.journal_records(op=DECIDE, after_seq=after, limit=1))


def feed(tx: StoreTx, ledger: Ledger, *, after: Heads, head: Heads, since_ms: int,
         canonical: Callable[[str], str]) -> None:
    """Fold the records between ``after`` and ``head`` inside the window into ``ledger``."""
    for op in _RAISING_OPS:
        for record in _ops(tx, op, after=after.ops, head=head.ops, since_ms=since_ms):
            sighting = of_ops(record, canonical)
            if sighting is not None:
                ledger.see(sighting)
    for syscall in _VERDICT_SYSCALLS:
        for event in _verdicts(tx, syscall, after=after.verdicts, head=head.verdicts,
                               since_ms=since_ms):
            at = Point("verdicts", event.seq, event.ts_ms)
            if syscall == "loop":
                ledger.ticked(at)
                for found in escalations(event):
                    ledger.see(found)
            elif event.verdict == "ACQUIRE":
                ledger.granted(event.lane, at)
            elif (sighting := of_verdict(event)) is not None:
                ledger.see(sighting)


def history(tx: StoreTx, decided: list[Resolution], *, since_ms: int) -> list[Resolution]:
    """Recent resolutions and overrides (DECIDE records, forced reaps and releases),
    newest first."""
    found = list(decided)
    for op in _OVERRIDE_OPS:
        for record in tx.journal_records(op=op, since_ms=since_ms, limit=200,
                                         newest_first=True):
            override = override_of(record)
            if override is not None:
                found.append(override)
    found.sort(key=lambda item: item.seq, reverse=True)
    return found[:_HISTORY]


def lease_facts(tx: StoreTx, since_ms: int) -> list[Lease]:
    """Every unreleased lease and every lease that ended inside the window: together,
    each lease granted inside it."""
    seen = {lease.lease_id: lease for lease in tx.unreleased_leases()}
    seen.update((lease.lease_id, lease) for lease in tx.leases_ended_since(since_ms))
    return list(seen.values())
