"""A project's history as the registry keeps it: refusals, no-pick runs (wedges) and the
operator's decisions, read from the project's own store after a cursor.

The records that matter are mapped to :class:`~dos.store.registry.Event` rows by pure
functions; :func:`read_history` reads only what was appended since the last cursor, by
op and by syscall (indexed), up to the newest seq it saw first, so a record appended
meanwhile is read next time, never skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from dos.record.decisions.memory import SETTLE
from dos.record.decisions.sightings import override_of, resolution_of
from dos.store.journal import JournalRecord
from dos.store.protocol import StoreTx
from dos.store.registry import Event
from dos.store.verdicts import VerdictRecord
from dos.structs import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _R = TypeVar("_R", JournalRecord, VerdictRecord)

__all__ = ["History", "decision_category", "ops_event", "read_history", "verdict_event"]

CategoryOf = Callable[[str], str]
_OPS = ("REFUSE", "DECIDE", "REAP", "MUTEX_RELEASE")
# no-pick answers: the picker found nothing to hand out
_WEDGES = {"gate": ("DRAIN", "STALE-STAMP", "BLOCKED", "RACE"), "next": ("DRAINED", "HELD")}
_SYSCALLS = ("arbitrate", *_WEDGES)
_BATCH = 1000


@struct
class History:
    events: tuple[Event, ...]
    ops_seq: int
    verdicts_seq: int


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def decision_category(token: str, kind: str, category_of: CategoryOf) -> str:
    """The category a decision calibrates: its reason's category in the workspace's
    vocabulary, else the kind of row decided (a halt, a forced reap)."""
    category = category_of(token) if token else "UNCLASSIFIED"
    return kind if category == "UNCLASSIFIED" and kind else category


def ops_event(record: JournalRecord, category_of: CategoryOf) -> Event | None:
    """A lease refusal, a resolution or an override; None for any other record."""
    if record.op == "REFUSE":
        token = _text(record.payload.get("reason_class"))
        return Event("ops", record.seq, "refusal", record.lane, token,
                     category_of(token) if token else "UNCLASSIFIED", "refused", record.ts_ms)
    decided = resolution_of(record) or override_of(record)
    if decided is None or decided.decision == SETTLE:  # a sweep's, not an operator's call
        return None
    token = decided.reason_token.split(",")[0]
    return Event("ops", record.seq, "decision", decided.lane, token,
                 decision_category(token, decided.kind, category_of),
                 decided.decision or "unknown", record.ts_ms)


def verdict_event(record: VerdictRecord, category_of: CategoryOf) -> Event | None:
    """An arbiter refusal or a no-pick answer; None for any other verdict."""
    if record.syscall == "arbitrate" and record.verdict == "REFUSE":
        token = _text(record.detail.get("reason_class"))
        return Event("verdicts", record.seq, "refusal", record.lane, token,
                     category_of(token) if token else "UNCLASSIFIED", "refused", record.ts_ms)
    if record.verdict in _WEDGES.get(record.syscall, ()):
        return Event("verdicts", record.seq, "wedge", record.lane, record.verdict,
                     record.verdict, record.syscall, record.ts_ms)
    return None


def _paged(fetch: Callable[[int], Sequence[_R]], after: int, upto: int) -> Iterator[_R]:
    """Records after seq ``after`` up to ``upto``, ``_BATCH`` at a time from ``fetch``."""
    while True:
        batch = fetch(after)
        yield from (record for record in batch if record.seq <= upto)
        if len(batch) < _BATCH or batch[-1].seq >= upto:
            return
        after = batch[-1].seq


def _ops_after(tx: StoreTx, op: str, after: int, upto: int) -> Iterator[JournalRecord]:
    return _paged(lambda seq: tx.journal_records(op=op, after_seq=seq, limit=_BATCH),
                  after, upto)


def _verdicts_after(tx: StoreTx, syscall: str, after: int, upto: int) -> Iterator[VerdictRecord]:
    return _paged(lambda seq: tx.verdict_records(syscall=syscall, after_seq=seq, limit=_BATCH),
                  after, upto)


def read_history(tx: StoreTx, *, ops_seq: int, verdicts_seq: int,
                 category_of: CategoryOf) -> History:
    """The events appended after the two cursors, and the cursors to keep. A cursor past
    the store's newest seq (a store replaced or restored) starts over from 0; events
    already held are kept once by the registry."""
    newest = tx.journal_records(newest_first=True, limit=1)
    ops_top = newest[0].seq if newest else 0
    verdicts_top = tx.verdict_span()[2]
    ops_from = ops_seq if ops_seq <= ops_top else 0
    verdicts_from = verdicts_seq if verdicts_seq <= verdicts_top else 0
    found = [event for op in _OPS for record in _ops_after(tx, op, ops_from, ops_top)
             if (event := ops_event(record, category_of)) is not None]
    found += [event for syscall in _SYSCALLS
              for record in _verdicts_after(tx, syscall, verdicts_from, verdicts_top)
              if (event := verdict_event(record, category_of)) is not None]
    return History(tuple(found), ops_top, verdicts_top)
