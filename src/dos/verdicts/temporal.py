"""The verdicts of ``dos liveness`` and ``dos status`` (which exits on the run's liveness).

The temporal family's other enums each have a module of their own, so that ``status``
builds only the enums it decides with: ``productivity``, ``efficiency``, ``breaker``,
``cooldown``, and ``supervise`` (``dos loop``'s outcome words). Importing them from here
still works.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken, moved

TYPE_CHECKING = False  # the moved enums are imported on first use, not here
if TYPE_CHECKING:
    from dos.verdicts.breaker import BreakerToken
    from dos.verdicts.cooldown import CooldownToken
    from dos.verdicts.efficiency import EfficiencyToken
    from dos.verdicts.productivity import ProductivityToken
    from dos.verdicts.supervise import SuperviseOutcome

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


__getattr__ = moved(__name__, {
    "BreakerToken": "dos.verdicts.breaker",
    "CooldownToken": "dos.verdicts.cooldown",
    "EfficiencyToken": "dos.verdicts.efficiency",
    "ProductivityToken": "dos.verdicts.productivity",
    "SuperviseOutcome": "dos.verdicts.supervise",
})
