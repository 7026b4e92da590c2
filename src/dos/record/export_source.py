"""Where exporters and notifiers read verdict events: the verdict journal's own reader
(:func:`dos.record.verdict_journal.read_events`), a page at a time."""

from __future__ import annotations

from collections.abc import Iterator

from dos.record.verdict_event import VerdictEvent
from dos.store.protocol import StoreTx

__all__ = ["PAGE", "iter_events", "read_events"]

PAGE = 1000


def read_events(tx: StoreTx, *, after_seq: int = 0, limit: int = PAGE) -> list[VerdictEvent]:
    """Up to ``limit`` events with seq above ``after_seq``, oldest first."""
    from dos.record import verdict_journal

    return list(verdict_journal.read_events(tx, after_seq=after_seq, limit=limit))


def iter_events(tx: StoreTx, *, after_seq: int = 0) -> Iterator[VerdictEvent]:
    """Every event above ``after_seq``, a page at a time."""
    from dos.record import verdict_journal

    return verdict_journal.read_events(tx, after_seq=after_seq, batch=PAGE)
