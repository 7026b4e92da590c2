"""How loud a verdict token is: ERROR, WARN or INFO. Exporters map it to OTLP severities
and notifiers to a notification's urgency, so both agree on what is bad news."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Level", "level_of"]


class Level(StrEnum):
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


# Tokens compare upper-cased: admission's "refuse" and liveness's "STALLED" alike.
_ERROR = frozenset({
    "STALLED", "WASTEFUL", "BLOCK", "DENY", "REJECT_POISON", "UNRESUMABLE", "NOT_SHIPPED",
    "SCOPE_CREEP", "WRONG_TARGET", "BROKEN", "STORE_UNREADABLE", "DEAD", "FALSE_DONE",
})
_WARN = frozenset({
    "SPINNING", "DIMINISHING", "COSTLY", "OPEN", "WARN", "DEFER", "RECENTLY_ATTEMPTED",
    "QUIET_INCOMPLETE", "HELD", "DIVERGED", "REFUSE", "STORE_BUSY", "UNDERFILLED",
    "OVERFILLED", "STARVED", "FINDINGS", "UNCLASSIFIED", "ADVISORY",
})


def level_of(verdict: str) -> Level:
    """The level of one verdict token; a token nobody classified is INFO."""
    token = verdict.upper()
    if token in _ERROR:
        return Level.ERROR
    if token in _WARN:
        return Level.WARN
    return Level.INFO
