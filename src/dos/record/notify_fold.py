"""What ``dos notify decisions`` says: the decisions queue's rows (``dos decisions``).

``dos notify top`` says what ``dos top``'s frame shows (:mod:`dos.api.top_note`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dos.record.decisions import DecisionRow, Kind
from dos.record.notifiers import Notification, Severity

__all__ = ["decisions_note"]

_VALUE_MAX = 300
_TOLD_BY_TEXT = frozenset({Kind.LIVENESS, Kind.RESTART_ESCALATION, Kind.EXPIRED_LEASE,
                           Kind.PLAN_OVERCLAIM, Kind.MEMORY_STALE})


def _cut(text: str) -> str:
    return text if len(text) <= _VALUE_MAX else text[:_VALUE_MAX - 1] + "…"


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

