"""Reading what the queue needs from one store transaction, bounded: each source by
its index (ops by op, verdicts by syscall), only after the window's first seq (found by
a binary search over seq, since a time filter would walk every record in the window),
only after a cursor, only up to the heads read first (a record committed meanwhile
waits for the next read)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from dos.admission.lease import Lease
from dos.record.decisions.ledger import Ledger
from dos.record.decisions.memory import MEMORY_OP, Routed, closed, newest
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
from dos.structs import struct

__all__ = ["Heads", "feed", "heads", "history", "lease_facts", "memory_routed",
           "new_decisions", "resolutions", "window_start"]

_PAGE = 2000
_DECISIONS_KEPT = 1000  # resolutions read back (they are rare: one per operator act)
_HISTORY = 50
_RAISING_OPS = ("REFUSE", "HALT")
_OVERRIDE_OPS = ("REAP", "MUTEX_RELEASE")
_VERDICT_SYSCALLS = ("arbitrate", "loop")


@struct
class Heads:
    """The newest seq of each journal when the read began."""

    ops: int
    verdicts: int


def heads(tx: StoreTx) -> Heads:
    ops = tx.journal_records(limit=1, newest_first=True)
    verdicts = tx.verdict_records(limit=1, newest_first=True)
    return Heads(ops[0].seq if ops else 0, verdicts[0].seq if verdicts else 0)


def _first_after(probe: Callable[[int], list[Any]], head: int, since_ms: int) -> int:
    """The seq after which a journal's records are stamped ``since_ms`` or later: a
    binary search of single-record reads by seq (the store's clock only moves on)."""
    low, high = 0, head
    while low < high:
        middle = (low + high) // 2
        found = probe(middle)
        if not found or found[0].ts_ms >= since_ms:
            high = middle
        else:
            low = min(found[0].seq, high)
    return low


def window_start(tx: StoreTx, head: Heads, since_ms: int) -> Heads:
    """Where the window begins in each journal (the seq before its first record)."""
    return Heads(
        _first_after(lambda seq: tx.journal_records(after_seq=seq, limit=1), head.ops,
                     since_ms),
        _first_after(lambda seq: tx.verdict_records(after_seq=seq, limit=1), head.verdicts,
                     since_ms))


def _ops(tx: StoreTx, op: str, *, after: int, head: int) -> Iterator[JournalRecord]:
    while after < head:
        page = tx.journal_records(op=op, after_seq=after, limit=_PAGE)
        yield from (record for record in page if record.seq <= head)
        if len(page) < _PAGE:
            return
        after = page[-1].seq


def _verdicts(tx: StoreTx, syscall: str, *, after: int, head: int) -> Iterator[VerdictEvent]:
    while after < head:
        page = tx.verdict_records(syscall=syscall, after_seq=after, limit=_PAGE)
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


def feed(tx: StoreTx, ledger: Ledger, *, after: Heads, head: Heads,
         canonical: Callable[[str], str]) -> None:
    """Fold the records after ``after`` up to ``head`` into ``ledger``."""
    for op in _RAISING_OPS:
        for record in _ops(tx, op, after=after.ops, head=head.ops):
            sighting = of_ops(record, canonical)
            if sighting is not None:
                ledger.see(sighting)
    for syscall in _VERDICT_SYSCALLS:
        for event in _verdicts(tx, syscall, after=after.verdicts, head=head.verdicts):
            at = Point("verdicts", event.seq, event.ts_ms)
            if syscall == "loop":
                ledger.ticked(at)
                for found in escalations(event):
                    ledger.see(found)
            elif event.verdict == "ACQUIRE":
                ledger.granted(event.lane, at)
            elif (sighting := of_verdict(event)) is not None:
                ledger.see(sighting)


def history(tx: StoreTx, decided: list[Resolution], *, after: int) -> list[Resolution]:
    """Recent resolutions and overrides (DECIDE records; forced reaps and releases after
    seq ``after``), newest first."""
    found = list(decided)
    for op in _OVERRIDE_OPS:
        for record in tx.journal_records(op=op, after_seq=after, limit=200,
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


def memory_routed(tx: StoreTx) -> dict[str, Routed]:
    """Each routed note's newest finding, closed or not: read whole, not by window (one
    record per change of a note, like a lease), with the DECIDE records since the
    oldest of them."""
    head = heads(tx).ops
    found = newest(_ops(tx, MEMORY_OP, after=0, head=head))
    if not found:
        return found
    start = min(routed.seq for routed in found.values())
    return closed(found, (done for record in _ops(tx, DECIDE, after=start, head=head)
                          if (done := resolution_of(record)) is not None))
