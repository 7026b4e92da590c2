"""Journal records read as the questions they raise: each becomes a :class:`Sighting`
(a row-to-be), a :class:`~dos.record.decisions.model.Resolution`, or nothing."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any

from dos.record.decisions.model import Key, Kind, Point, Resolution
from dos.record.verdict_event import VerdictEvent
from dos.store.journal import JournalRecord
from dos.structs import struct

__all__ = ["DECIDE", "Sighting", "escalations", "of_ops", "of_verdict", "override_of",
           "resolution_of"]

DECIDE = "DECIDE"
_LOOP_REASON = ("the supervisor reaped this lane's workers more than [supervise] "
                "max_restarts times within restart_period_s and will not refill it — "
                "find out why its workers keep dying")


@struct
class Sighting:
    """One record that raises a question; duplicates share a :class:`Key`."""

    key: Key
    at: Point
    text: str
    evidence: tuple[str, ...] = ()
    command: str = ""
    lease_id: int | None = None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _refusal(record: JournalRecord, lane: str) -> Sighting:
    pay = record.payload
    asked = _text(pay.get("requested_lane"))
    blockers = [b for b in pay.get("blockers", []) if isinstance(b, int)] \
        if isinstance(pay.get("blockers"), list) else []
    evidence = [f"asked by {record.holder or '(no owner)'} through dos lease-lane acquire",
                f"requested lane '{asked}'" if asked else "an auto-pick request (no lane named)"]
    evidence += [f"blocked by lease #{', #'.join(map(str, blockers))}"] if blockers else []
    evidence += [f"run {record.run_id}"] if record.run_id else []
    return Sighting(Key(Kind.LEASE_REFUSE, lane, _text(pay.get("reason_class")),
                        record.run_id, record.holder),
                    Point("ops", record.seq, record.ts_ms), _text(pay.get("reason")),
                    tuple(evidence))


def _halt(record: JournalRecord, lane: str) -> Sighting:
    pay = record.payload
    handle = _text(pay.get("handle"))
    evidence = [f"proposed by {record.holder or '(unknown)'}"]
    evidence += [f"handle {handle}"] if handle else []
    evidence += [f"lease #{record.lease_id}"] if record.lease_id is not None else []
    evidence += [f"loop {record.loop_ts}"] if record.loop_ts else []
    return Sighting(Key(Kind.LIVENESS, lane, "HALT_PROPOSED", record.run_id, handle),
                    Point("ops", record.seq, record.ts_ms), _text(pay.get("reason")),
                    tuple(evidence), _text(pay.get("command")), record.lease_id)


def of_ops(record: JournalRecord, canonical: Callable[[str], str]) -> Sighting | None:
    """A lease-lane refusal or a halt proposal; None for any other op."""
    if record.op == "REFUSE":
        return _refusal(record, canonical(record.lane))
    if record.op == "HALT":
        return _halt(record, canonical(record.lane))
    return None


def of_verdict(event: VerdictEvent) -> Sighting | None:
    """A ``dos arbitrate`` refusal; None for anything else."""
    if event.syscall != "arbitrate" or event.verdict != "REFUSE":
        return None
    detail = event.detail
    evidence = [f"asked through dos arbitrate ({event.source})"]
    blockers = detail.get("blockers")
    if isinstance(blockers, int) and blockers:
        evidence.append(f"{blockers} live lease(s) in the way")
    if detail.get("auto_picked"):
        evidence.append("an auto-pick request")
    return Sighting(Key(Kind.ARBITER_REFUSE, event.lane, _text(detail.get("reason_class")),
                        event.run_id, event.subject),
                    Point("verdicts", event.seq, event.ts_ms), _text(detail.get("reason")),
                    tuple(evidence))


def escalations(event: VerdictEvent) -> list[Sighting]:
    """The lanes a ``dos loop`` tick escalated instead of refilling."""
    if event.syscall != "loop":
        return []
    count = event.detail.get("escalate")
    lanes = [lane for lane in _text(event.detail.get("escalated")).split(",") if lane]
    if not lanes and isinstance(count, int) and count > 0:
        lanes = [""]  # a record from before lanes were journaled
    reason = _text(event.detail.get("escalate_reason")) or _LOOP_REASON
    at = Point("verdicts", event.seq, event.ts_ms)
    evidence = (f"dos loop verdict {event.verdict} ({event.source})",)
    return [Sighting(Key(Kind.RESTART_ESCALATION, lane, "RESTART_INTENSITY"), at, reason,
                     evidence) for lane in lanes]


def _through(raw: object) -> dict[str, int]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): v for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool)}


def resolution_of(record: JournalRecord) -> Resolution | None:
    """A DECIDE record as the resolution (or override) it journaled."""
    if record.op != DECIDE:
        return None
    pay: Mapping[str, Any] = record.payload
    return Resolution(
        decision=_text(pay.get("decision")), handle=_text(pay.get("handle")),
        kind=_text(pay.get("kind")), lane=record.lane, reason_token=_text(pay.get("reason_token")),
        owner=record.holder, note=_text(pay.get("note")), command=_text(pay.get("command")),
        run_id=record.run_id, subject=_text(pay.get("subject")), ts_ms=record.ts_ms,
        seq=record.seq, through=_through(pay.get("through")),
        number=pay["number"] if isinstance(pay.get("number"), int) else 0)


def override_of(record: JournalRecord) -> Resolution | None:
    """A forced reap of a live lease or a forced release of another's lock."""
    pay = record.payload
    if record.op == "REAP" and pay.get("forced") is True:
        return Resolution("override", "", "REAP", record.lane, "", _text(pay.get("by")),
                          _text(pay.get("reason")),
                          f"dos lease-lane reap --lease-id {record.lease_id} --force",
                          record.run_id, record.holder, record.ts_ms, record.seq)
    if record.op == "MUTEX_RELEASE" and pay.get("forced") is True:
        name = _text(pay.get("name"))
        return Resolution("override", "", "MUTEX_RELEASE", "", "", record.holder,
                          f"released lock '{name}' held by {_text(pay.get('prev_holder'))}",
                          f"dos lease release {shlex.quote(name)} --force", "", name,
                          record.ts_ms, record.seq)
    return None
