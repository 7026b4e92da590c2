"""Verdicts of the temporal verbs (``liveness``, ``status``, ``productivity``,
``efficiency``, ``breaker``, ``cooldown``) and the supervisor's outcome words."""

from __future__ import annotations

from enum import StrEnum

from dos.verdicts import VerdictToken

__all__ = [
    "BreakerToken",
    "CooldownToken",
    "EfficiencyToken",
    "LivenessToken",
    "ProductivityToken",
    "StatusToken",
    "SuperviseOutcome",
]


class LivenessToken(VerdictToken):
    """UNKNOWN: nothing knows the run (no lease, no journal record, no evidence given);
    it exits on the reference's ``unknown`` code, never as a young run's ADVANCING."""

    ADVANCING = ("ADVANCING", 0)
    SPINNING = ("SPINNING", 3)
    STALLED = ("STALLED", 4)
    UNKNOWN = ("UNKNOWN", 5)


class StatusToken(VerdictToken):
    """``dos status`` exits on the run's liveness."""

    ADVANCING = ("ADVANCING", 0)
    SPINNING = ("SPINNING", 3)
    STALLED = ("STALLED", 4)
    UNKNOWN = ("UNKNOWN", 5)


class ProductivityToken(VerdictToken):
    PRODUCTIVE = ("PRODUCTIVE", 0)
    DIMINISHING = ("DIMINISHING", 3)
    STALLED = ("STALLED", 4)


class EfficiencyToken(VerdictToken):
    EFFICIENT = ("EFFICIENT", 0)
    COSTLY = ("COSTLY", 3)
    WASTEFUL = ("WASTEFUL", 4)


class BreakerToken(VerdictToken):
    CLOSED = ("CLOSED", 0)
    OPEN = ("OPEN", 3)


class CooldownToken(VerdictToken):
    CLEAR = ("CLEAR", 0)
    RECENTLY_ATTEMPTED = ("RECENTLY_ATTEMPTED", 3)


class SuperviseOutcome(StrEnum):
    """What ``dos loop`` found; not a verdict: ``loop`` exits 0 on every normal path."""

    FILLING = "FILLING"
    AT_TARGET = "AT_TARGET"
    TARGET_UNREACHABLE = "TARGET_UNREACHABLE"
    OVER_TARGET = "OVER_TARGET"
