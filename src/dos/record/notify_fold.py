"""What ``dos notify`` says, folded from the verdict journal and the live leases.

Stands in for the operator projections (``dos decisions``, ``dos top``) until they
exist: :func:`fold` is the one place that reads meaning out of the events. A decision
"needs you" when the latest verdict about a (syscall, subject, lane) is not good news.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dos.admission.lease import Lease
from dos.record.notifiers import Notification, Severity
from dos.record.severity import Level, level_of
from dos.record.verdict_event import VerdictEvent

__all__ = ["Open", "VerdictFold", "decisions_note", "fold", "top_note"]

_MAX_KEYS = 10_000  # distinct subjects tracked; the oldest are forgotten first
_VALUE_MAX = 300


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


def decisions_note(state: VerdictFold, *, top: int, workspace: str) -> Notification:
    """The decisions queue: every subject whose latest verdict is a warning or worse."""
    waiting = state.open
    levels = {level_of(item.event.verdict) for item in waiting}
    severity = Severity.URGENT if Level.ERROR in levels else \
        Severity.WARN if waiting else Severity.INFO
    count = len(waiting)
    title = (f"{count} decision{'s' if count != 1 else ''} need{'s' if count == 1 else ''} "
             "you") if count else "fleet clear — no pending decisions"
    fields = tuple((_cut(f"{item.event.syscall} @ {item.event.lane or '-'}"), _cut(
        f"{item.event.verdict} {item.event.subject}".rstrip()
        + (f" (×{item.repeats})" if item.repeats > 1 else ""))) for item in waiting[:top])  # noqa: RUF001 - the reference's repeat mark
    more = f"; {count - len(fields)} more not shown" if count > len(fields) else ""
    return Notification(severity, title, f"{_counts(state)}{more}", "dos-decisions",
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
