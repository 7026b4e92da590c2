"""``dos notify top``: the desk's frame as one notification (``dos top`` reads the same)."""

from __future__ import annotations

from dos.api.top import Chip, TopFrame
from dos.record.notifiers import Notification, Severity

__all__ = ["top_note"]

_VALUE_MAX = 300


def _cut(text: str) -> str:
    return text if len(text) <= _VALUE_MAX else text[:_VALUE_MAX - 1] + "…"


def top_note(found: TopFrame, *, top: int) -> Notification:
    """URGENT when a lane is STALLED, WARN when one is SPINNING; the title counts the
    chips, the fields name the first ``top`` busy lanes and their holders."""
    totals = found.totals
    severity = Severity.URGENT if totals.stalled else \
        Severity.WARN if totals.spinning else Severity.INFO
    spawning = f" · {totals.spawning} spawning" if totals.spawning else ""
    title = (f"fleet: {totals.advancing} advancing · {totals.spinning} spinning · "
             f"{totals.stalled} stalled · {totals.free} free{spawning}")
    busy = [(_cut(row.lane), _cut(f"{row.chip.value}  {row.holder}".rstrip()))
            for row in found.lanes if row.chip is not Chip.FREE]
    fields = (*busy[:top], ("recent verdicts", str(len(found.verdicts))))
    return Notification(severity, title, totals.line(), f"dos-top:{found.workspace}",
                        f"dos notify top · {found.workspace}", tuple(fields))
