"""Stop retrying after repeated failures: a circuit breaker, CLOSED or OPEN.

Pure. Trips on ``max_consecutive`` failures in a row or ``max_total`` failures
overall (0 disables a rung; not both). ``record_failure`` / ``record_success``
return the next counts, so a caller can keep them anywhere.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.breaker import BreakerToken

__all__ = [
    "BreakerPolicy",
    "BreakerVerdict",
    "Escalation",
    "FailureCounts",
    "classify",
    "record_failure",
    "record_success",
]


class Escalation(StrEnum):
    NONE = "NONE"
    JUDGE = "JUDGE"
    HUMAN = "HUMAN"


def _count(name: str, value: int, flag: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"{name} must be a non-negative integer, got {value!r}",
                         hint=f"pass {flag} as 0 or more")


@struct
class BreakerPolicy:
    max_consecutive: int = 3
    max_total: int = 20
    on_trip: Escalation = Escalation.NONE

    def __post_init__(self) -> None:
        _count("max_consecutive", self.max_consecutive, "--max-consecutive")
        _count("max_total", self.max_total, "--max-total")
        if self.max_consecutive == 0 and self.max_total == 0:
            raise UsageError("a breaker with both limits at 0 can never open",
                             hint="set --max-consecutive or --max-total to 1 or more")
        try:
            object.__setattr__(self, "on_trip", Escalation(str(self.on_trip).upper()))
        except ValueError:
            raise UsageError(f"on_trip must be none, judge or human, got {self.on_trip!r}",
                             hint="pass --on-trip none|judge|human") from None


@struct
class FailureCounts:
    consecutive: int = 0
    total: int = 0

    def __post_init__(self) -> None:
        _count("consecutive", self.consecutive, "--consecutive")
        _count("total", self.total, "--total")
        if self.consecutive > self.total:
            raise UsageError(
                f"{self.consecutive} consecutive failures cannot exceed {self.total} total",
                hint="--total counts every failure, so it is at least --consecutive")


@struct
class BreakerVerdict:
    state: BreakerToken
    escalation: Escalation
    reason: str
    tripped_on: str
    counts: FailureCounts

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "escalation": self.escalation.value,
                "reason": self.reason, "tripped_on": self.tripped_on,
                "consecutive": self.counts.consecutive, "total": self.counts.total}


def classify(counts: FailureCounts, policy: BreakerPolicy | None = None) -> BreakerVerdict:
    """OPEN when a limit is reached (consecutive first), else CLOSED."""
    pol = policy or BreakerPolicy()
    tail = f"; escalate to {pol.on_trip.value}" if pol.on_trip is not Escalation.NONE else ""
    if pol.max_consecutive and counts.consecutive >= pol.max_consecutive:
        reason = (f"{counts.consecutive} consecutive failures (>= max {pol.max_consecutive}) "
                  f"— a sustained failure, open the circuit{tail}")
        return BreakerVerdict(BreakerToken.OPEN, pol.on_trip, reason, "consecutive", counts)
    if pol.max_total and counts.total >= pol.max_total:
        reason = (f"{counts.total} total failures (>= max {pol.max_total}) — a flapping or "
                  f"unreliable path, open the circuit{tail}")
        return BreakerVerdict(BreakerToken.OPEN, pol.on_trip, reason, "total", counts)
    limits = f"consecutive {pol.max_consecutive or 'off'}, total {pol.max_total or 'off'}"
    reason = (f"{counts.consecutive} consecutive / {counts.total} total failures — under the "
              f"limits ({limits}); circuit closed")
    return BreakerVerdict(BreakerToken.CLOSED, Escalation.NONE, reason, "", counts)


def record_failure(counts: FailureCounts) -> FailureCounts:
    return FailureCounts(counts.consecutive + 1, counts.total + 1)


def record_success(counts: FailureCounts) -> FailureCounts:
    """A success ends a streak; the total stays, so a flapping path stays open."""
    return FailureCounts(0, counts.total)
