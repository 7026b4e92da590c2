"""Do recent steps still land work? PRODUCTIVE / DIMINISHING / STALLED.

Pure. The history is the work units each step landed, oldest first. DIMINISHING
means the rate is under the floor and not recovering; a low but rising rate is
still productive, and a run that has landed nothing at all is STALLED as soon as
there are two steps to look at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.productivity import ProductivityToken

__all__ = ["ProductivityPolicy", "ProductivityVerdict", "WorkHistory", "classify"]


def _count(name: str, value: int, flag: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"{name} must be a non-negative integer, got {value!r}",
                         hint=f"pass {flag} as 0 or more")
    return value


@struct
class ProductivityPolicy:
    """``min_steps`` of history before a fading rate is judged; ``floor`` work units."""

    min_steps: int = 3
    floor: int = 500

    def __post_init__(self) -> None:
        _count("min_steps", self.min_steps, "--min-steps")
        _count("floor", self.floor, "--floor")


@struct
class WorkHistory:
    deltas: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "deltas", tuple(self.deltas))
        for delta in self.deltas:
            _count("a work delta", delta, "--deltas as a comma list of counts")

    @classmethod
    def of(cls, deltas: Sequence[int]) -> WorkHistory:
        return cls(tuple(deltas))


@struct
class ProductivityVerdict:
    verdict: ProductivityToken
    reason: str
    history: WorkHistory

    def to_dict(self) -> dict[str, Any]:
        deltas = self.history.deltas
        return {
            "verdict": self.verdict.value, "reason": self.reason,
            "history": {"deltas": list(deltas), "step_count": len(deltas),
                        "last_delta": deltas[-1] if deltas else None,
                        "prior_delta": deltas[-2] if len(deltas) > 1 else None},
        }


def classify(history: WorkHistory, policy: ProductivityPolicy | None = None
             ) -> ProductivityVerdict:
    """Judge the work history; the first matching rung wins."""
    pol = policy or ProductivityPolicy()
    token, reason = _ladder(history.deltas, pol)
    return ProductivityVerdict(verdict=token, reason=reason, history=history)


def _ladder(deltas: tuple[int, ...], pol: ProductivityPolicy) -> tuple[ProductivityToken, str]:  # noqa: PLR0911 - one return per rung of the ladder
    n = len(deltas)
    if n == 0:
        return ProductivityToken.PRODUCTIVE, "no work steps yet — nothing to judge"
    if n >= 2 and not any(deltas):
        return ProductivityToken.STALLED, f"all {n} steps landed 0 work units — flat-lined"
    if n < pol.min_steps:
        return ProductivityToken.PRODUCTIVE, (
            f"{n} work step(s) so far (< min {pol.min_steps}) — not enough history to judge "
            "a fading rate")
    last, prior = deltas[-1], deltas[-2] if n > 1 else pol.floor
    if last == 0:
        return ProductivityToken.STALLED, (
            f"the most recent of {n} steps landed 0 work units — flat-lined")
    if last < pol.floor and prior < pol.floor and last < prior:
        return ProductivityToken.DIMINISHING, (
            f"the last two of {n} steps landed {prior} then {last} work units, falling and "
            f"both under the {pol.floor}-unit floor — diminishing returns")
    if last < pol.floor and prior < pol.floor and last == prior:
        return ProductivityToken.DIMINISHING, (
            f"the last two of {n} steps landed {last} work units each, flat under the "
            f"{pol.floor}-unit floor — not recovering")
    return ProductivityToken.PRODUCTIVE, (
        f"last step landed {last} work units over {n} steps (prior {prior}; floor "
        f"{pol.floor}) — still productive")
