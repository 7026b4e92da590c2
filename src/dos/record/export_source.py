"""Where exporters and notifiers read verdict events: the store's ``verdicts`` table.

The one place that knows the journal's storage: when the verdict journal's own reader
lands, :func:`read_events` becomes a call to it and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dos.record.verdict_event import Scalar, VerdictEvent
from dos.store.protocol import StoreTx

__all__ = ["PAGE", "event_from_row", "iter_events", "read_events"]

PAGE = 1000


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _detail(raw: Any) -> dict[str, Scalar]:
    if not isinstance(raw, Mapping):
        return {}
    # a nested value has no single attribute or tag form: it travels as its text
    return {str(key): value if isinstance(value, str | int | float | bool | None) else str(value)
            for key, value in raw.items()}


def event_from_row(seq: int, ts_ms: int, payload: Mapping[str, Any]) -> VerdictEvent:
    """One stored verdict payload as a :class:`VerdictEvent` (unknown keys ignored)."""
    return VerdictEvent(
        seq=seq, ts_ms=ts_ms, syscall=_text(payload.get("syscall") or payload.get("verb")),
        verdict=_text(payload.get("verdict")), source=_text(payload.get("source")),
        subject=_text(payload.get("subject")), run_id=_text(payload.get("run_id")),
        lane=_text(payload.get("lane")), detail=_detail(payload.get("detail")))


def read_events(tx: StoreTx, *, after_seq: int = 0, limit: int = PAGE) -> list[VerdictEvent]:
    """Up to ``limit`` events with seq above ``after_seq``, oldest first."""
    return [event_from_row(seq, ts_ms, payload)
            for seq, ts_ms, payload in tx.verdicts(after_seq=after_seq, limit=limit)]


def iter_events(tx: StoreTx, *, after_seq: int = 0) -> Iterator[VerdictEvent]:
    """Every event above ``after_seq``, a page at a time."""
    while page := read_events(tx, after_seq=after_seq):
        yield from page
        after_seq = page[-1].seq
