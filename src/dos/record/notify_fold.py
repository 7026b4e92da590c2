"""What ``dos notify decisions`` says, folded from the verdict journal.

Stands in for the decisions queue (``dos decisions``) until it exists: :func:`fold` is
the one place that reads meaning out of the events. A decision "needs you" when the
latest verdict about a (syscall, subject, lane) is not good news. ``dos notify top``
reads ``dos top``'s frame instead (:mod:`dos.api.top_note`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from dos.record.notifiers import Notification, Severity
from dos.record.severity import Level, level_of
from dos.record.verdict_event import VerdictEvent

__all__ = ["Open", "VerdictFold", "decisions_note", "fold"]

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


def fold(events: Iterable[VerdictEvent]) -> VerdictFold:
    counts: Counter[str] = Counter()
    latest: dict[tuple[str, str, str], Open] = {}
    for event in events:
        counts[event.verdict] += 1
        key = (event.syscall, event.subject, event.lane)
        before = latest.pop(key, None)
        same = before is not None and before.event.verdict == event.verdict
        latest[key] = Open(event, before.repeats + 1 if same and before else 1)
        if len(latest) > _MAX_KEYS:
            latest.pop(next(iter(latest)))
    pending = [item for item in latest.values() if level_of(item.event.verdict) != Level.INFO]
    pending.sort(key=lambda item: item.event.seq, reverse=True)
    return VerdictFold(sum(counts.values()), dict(sorted(counts.items())), tuple(pending))


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

