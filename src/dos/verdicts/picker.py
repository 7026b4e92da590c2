"""Verdicts of the picker verbs: what a dispatch loop asks between "what next?" and
"may I keep it?" (``enumerate``, ``pickable``, ``reconcile``, ``gate``, ``scout``,
``health``, ``next``).

``pickable`` keeps the reference's two bands: 10-13 hold a unit whatever worker asks
(re-dispatching will not help), 20-25 hold it for now.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["EnumerateToken", "GateToken", "HealthToken", "NextToken", "PickableToken",
           "ReconcileToken", "ScoutToken"]


class EnumerateToken(VerdictToken):
    """EMPTY wins over DRIFT: a document that declares nothing is the louder problem."""

    CLEAN = ("CLEAN", 0)
    DRIFT = ("DRIFT", 3)
    EMPTY = ("EMPTY", 4)


class PickableToken(VerdictToken):
    OFFERABLE = ("OFFERABLE", 0)
    DRAFT_CLASS = ("DRAFT_CLASS", 10)
    OPERATOR_GATED = ("OPERATOR_GATED", 11)
    SOAK_OPEN = ("SOAK_OPEN", 12)
    DEPENDENCY_UNMET = ("DEPENDENCY_UNMET", 13)
    IN_FLIGHT = ("IN_FLIGHT", 20)
    SOFT_CLAIMED_ELSEWHERE = ("SOFT_CLAIMED_ELSEWHERE", 21)
    STALE_CLAIM = ("STALE_CLAIM", 22)
    COOLDOWN = ("COOLDOWN", 23)
    UNPARSEABLE = ("UNPARSEABLE", 24)
    SHIPPED = ("SHIPPED", 25)

    @property
    def redispatch_invariant(self) -> bool:
        """Held whatever worker asks: only a person or another unit changes it."""
        return 10 <= self.exit_code < 20


class ReconcileToken(VerdictToken):
    VERIFIED = ("VERIFIED", 0)
    QUIET_INCOMPLETE = ("QUIET_INCOMPLETE", 3)
    HONEST_OPEN = ("HONEST_OPEN", 4)


class GateToken(VerdictToken):
    LIVE = ("LIVE", 0)
    DRAIN = ("DRAIN", 3)
    STALE_STAMP = ("STALE-STAMP", 4)
    BLOCKED = ("BLOCKED", 5)
    RACE = ("RACE", 6)


class ScoutToken(VerdictToken):
    """The activity, upper-cased; exit 6 is STOP and nothing else."""

    DISPATCH = ("DISPATCH", 0)
    UNSTICK = ("UNSTICK", 3)
    REPLAN = ("REPLAN", 4)
    WAIT = ("WAIT", 5)
    STOP = ("STOP", 6)


class HealthToken(VerdictToken):
    PROCEED = ("PROCEED", 0)
    ROUTE_UNSTICK = ("ROUTE_UNSTICK", 3)
    ROUTE_REPLAN = ("ROUTE_REPLAN", 4)
    OVERLAP_BLOCK = ("OVERLAP_BLOCK", 6)



class NextToken(VerdictToken):
    """DRAINED: every unit shipped, stop. HELD: work remains but none may be taken now
    (leased to another worker, cooling down, or the lane is busy); ask again later."""

    PICKED = ("PICKED", 0)
    DRAINED = ("DRAINED", 3)
    HELD = ("HELD", 4)
