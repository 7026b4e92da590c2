"""What ``dos notify`` says: the decisions queue's rows (``dos decisions``), and the
fleet folded from the verdict journal and the live leases.

For ``top``, :func:`fold` reads meaning out of the events: a subject "waits" when its
latest verdict is not good news.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dos.admission.lease import Lease
from dos.record.decisions import DecisionRow, Kind
from dos.record.notifiers import Notification, Severity
from dos.record.severity import Level, level_of
from dos.record.verdict_event import VerdictEvent

__all__ = ["Open", "VerdictFold", "decisions_note", "fold", "top_note"]

_MAX_KEYS = 10_000  # distinct subjects tracked; the oldest are forgotten first
_VALUE_MAX = 300
_TOLD_BY_TEXT = frozenset({Kind.LIVENESS, Kind.RESTART_ESCALATION, Kind.EXPIRED_LEASE,
                           Kind.PLAN_OVERCLAIM})


@dataclass(frozen=True)
class Open:
    """The latest verdict about one subject, and how many times in a row it was given."""

    event: VerdictEvent
    repeats: int


@dataclass(frozen=True)
class VerdictFold:
    total: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)
    open: tuple[Open, ...] = ()  # not-good latest verdicts, newest first
    liveness: dict[str, VerdictEvent] = field(default_factory=dict)  # lane → latest


def fold(events: Iterable[VerdictEvent]) -> VerdictFold:
    counts: Counter[str] = Counter()
    latest: dict[tuple[str, str, str], Open] = {}
    liveness: dict[str, VerdictEvent] = {}
    for event in events:
        counts[event.verdict] += 1
        key = (event.syscall, event.subject, event.lane)
        before = latest.pop(key, None)
        same = before is not None and before.event.verdict == event.verdict
        latest[key] = Open(event, before.repeats + 1 if same and before else 1)
        if len(latest) > _MAX_KEYS:
            latest.pop(next(iter(latest)))
        if event.syscall == "liveness" and event.lane:
            liveness[event.lane] = event
    pending = [item for item in latest.values() if level_of(item.event.verdict) != Level.INFO]
    pending.sort(key=lambda item: item.event.seq, reverse=True)
    return VerdictFold(sum(counts.values()), dict(sorted(counts.items())), tuple(pending),
                       liveness)


def _cut(text: str) -> str:
    return text if len(text) <= _VALUE_MAX else text[:_VALUE_MAX - 1] + "…"


def _counts(state: VerdictFold) -> str:
    spread = " ".join(f"{verdict or '-'}={n}" for verdict, n in state.by_verdict.items())
    return f"{state.total} verdict(s) recorded" + (f": {spread}" if spread else "")


def _decision_field(row: DecisionRow) -> tuple[str, str]:
    told = row.reason_text if row.kind in _TOLD_BY_TEXT or not row.reason_token \
        else row.reason_token
    value = " ".join(told.split()) + (f" (×{row.dup_count})" if row.dup_count > 1 else "")  # noqa: RUF001 - the reference's repeat mark
    if row.kind is Kind.LIVENESS and row.proposed_command:
        value += f"  ⟶ stop: {row.proposed_command}"
    return _cut(f"{row.kind.value} @ {row.lane or '-'}"), _cut(value)


def decisions_note(rows: Sequence[DecisionRow], *, hidden: int, top: int,
                   workspace: str) -> Notification:
    """The decisions queue (``dos decisions``): URGENT while a halt proposal waits, WARN
    while any row does; the first ``top`` rows as fields."""
    count = len(rows)
    severity = Severity.URGENT if any(row.kind is Kind.LIVENESS for row in rows) else \
        Severity.WARN if rows else Severity.INFO
    title = (f"{count} decision{'s' if count != 1 else ''} need{'s' if count == 1 else ''} "
             "you") if count else "fleet clear — no pending decisions"
    fields = tuple(_decision_field(row) for row in rows[:top])
    spread = Counter(row.resolver.value for row in rows)
    summary = f"{count} pending" + (
        " (" + " ".join(f"{name}:{n}" for name, n in sorted(spread.items())) + ")"
        if spread else "")
    summary += f"; {count - len(fields)} more not shown" if count > len(fields) else ""
    summary += (f"; {hidden} more settle without you (dos decisions --all)" if hidden else "")
    return Notification(severity, title, summary, "dos-decisions",
                        f"dos notify decisions · {workspace}", fields)


def _lane_state(lane: str, holder: Lease | None, state: VerdictFold) -> str:
    if holder is None:
        return "FREE"
    seen = state.liveness.get(lane)
    # a verdict about an earlier holder says nothing about this one
    return seen.verdict.upper() if seen and seen.ts_ms >= holder.acquired_at_ms else "HELD"


def top_note(state: VerdictFold, leases: Sequence[Lease], lanes: Sequence[str], *,
             top: int, workspace: str) -> Notification:
    """The fleet: each lane free, held, or held and judged by its latest liveness verdict."""
    holders = {lease.lane: lease for lease in leases}
    names = list(dict.fromkeys([*lanes, *holders]))
    states = {lane: _lane_state(lane, holders.get(lane), state) for lane in names}
    tally = Counter(states.values())
    severity = Severity.URGENT if tally["STALLED"] else \
        Severity.WARN if tally["SPINNING"] else Severity.INFO
    parts = [f"{tally[s]} {s.lower()}" for s in ("ADVANCING", "SPINNING", "STALLED")]
    unjudged = len(holders) - sum(tally[s] for s in ("ADVANCING", "SPINNING", "STALLED"))
    parts += [f"{unjudged} held (not assessed)"] if unjudged else []
    title = "fleet: " + " · ".join([*parts, f"{tally['FREE']} free"])
    busy = [(lane, f"{states[lane]}  {holders[lane].holder}") for lane in names
            if lane in holders]
    fields = (*busy[:top], ("verdicts recorded", str(state.total)),
              ("decisions waiting", str(len(state.open))))
    return Notification(severity, title, _counts(state), f"dos-top:{workspace}",
                        f"dos notify top · {workspace}", tuple(fields))
