"""Attempts at units of work, as store rows of their own.

An attempt is also an ATTEMPT record in the ops journal: every backend projects each
ATTEMPT it appends into the ``attempts`` table in the same transaction (its ``seq`` is
the journal record's), and the migration that made the table copied the older ones in.
Compacting the journal drops the record, never the row, so a unit's history outlives
it. ``cooldown`` and ``pick-priority`` read the rows by an index on
``(unit_id, attempted_at_ms)``.
"""

from __future__ import annotations

from dos.store.cells import MAX_MS, check_int, json_object, unreadable
from dos.store.rows import ATTEMPT_COLUMNS
from dos.structs import field, struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from dos.store.journal import JournalEntry, JournalRecord

__all__ = ["ATTEMPT_COLUMNS", "AttemptRecord", "attempt_entry", "attempt_from_row",
           "attempt_of"]

# Payload keys the row holds in columns of their own; the rest is its detail.
_OWN_KEYS = ("unit_id", "outcome", "attempted_at_ms")


@struct
class AttemptRecord:
    """One attempt: its journal ``seq``, the unit, how it ended and when (store clock)."""

    seq: int
    unit_id: str
    outcome: str
    lane: str
    run_id: str
    holder: str
    attempted_at_ms: int
    detail: Mapping[str, Any] = field(default_factory=dict)

    def row(self) -> tuple[Any, ...]:
        from dos.store.chain import canonical_json

        return (self.seq, self.unit_id, self.outcome, self.lane, self.run_id, self.holder,
                self.attempted_at_ms, canonical_json(dict(self.detail)))

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "unit_id": self.unit_id, "outcome": self.outcome,
                "lane": self.lane, "run_id": self.run_id, "holder": self.holder,
                "attempted_at_ms": self.attempted_at_ms, "detail": dict(self.detail)}


def attempt_entry(*, unit_id: str, outcome: str, lane: str = "", run_id: str = "",
                  holder: str = "", detail: Mapping[str, Any] | None = None) -> JournalEntry:
    """The ATTEMPT journal entry for an attempt; it is stamped by the store's clock."""
    from dos.store.journal import JournalEntry

    if not isinstance(unit_id, str) or not unit_id:
        raise ValueError("an attempt needs a unit id")
    extra = {key: value for key, value in (detail or {}).items() if key not in _OWN_KEYS}
    return JournalEntry("ATTEMPT", lane=lane, holder=holder, run_id=run_id,
                        payload={**extra, "unit_id": unit_id, "outcome": outcome})


def _outcome(raw: object) -> str:
    text = raw.strip().lower() if isinstance(raw, str) else ""
    return text or "unknown"


def attempt_of(record: JournalRecord) -> AttemptRecord | None:
    """The row an ATTEMPT record projects to; None when it names no unit. Its time is
    the payload's ``attempted_at_ms`` when that is a sound stamp (older hosts wrote it),
    else the record's own store time: a stamp is never dropped."""
    payload = record.payload
    unit = payload.get("unit_id")
    if record.op != "ATTEMPT" or not isinstance(unit, str) or not unit:
        return None
    stamp = payload.get("attempted_at_ms")
    at = stamp if type(stamp) is int and 0 <= stamp <= MAX_MS else record.ts_ms
    return AttemptRecord(
        seq=record.seq, unit_id=unit, outcome=_outcome(payload.get("outcome")),
        lane=record.lane, run_id=record.run_id, holder=record.holder, attempted_at_ms=at,
        detail={key: value for key, value in payload.items() if key not in _OWN_KEYS})


def attempt_from_row(row: Sequence[Any]) -> AttemptRecord:
    """An ``attempts`` row (in :data:`ATTEMPT_COLUMNS` order), every cell checked."""
    seq = check_int(row[0], "an attempt's seq", low=1, high=2**63 - 1)
    what = f"attempt seq {seq}"
    for index, name in ((1, "unit_id"), (2, "outcome"), (3, "lane"), (4, "run_id"),
                        (5, "holder")):
        if type(row[index]) is not str:
            raise unreadable(f"{what} ({name})", f"it holds {row[index]!r}, not text")
    return AttemptRecord(
        seq=seq, unit_id=row[1], outcome=row[2], lane=row[3], run_id=row[4], holder=row[5],
        attempted_at_ms=check_int(row[6], f"{what} (attempted_at_ms)"),
        detail=json_object(row[7], f"{what} (detail)"))
