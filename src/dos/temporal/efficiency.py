"""Did the spend buy work? EFFICIENT / COSTLY / WASTEFUL from work units per token.

Pure. ``min_tokens`` is how much must be spent before spending is judged; ``floor``
is the least work per token that counts as efficient (0 disables COSTLY).
"""

from __future__ import annotations

import math
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.efficiency import EfficiencyToken

__all__ = ["EfficiencyEvidence", "EfficiencyPolicy", "EfficiencyVerdict", "classify"]


def _count(name: str, value: int, flag: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UsageError(f"{name} must be a non-negative integer, got {value!r}",
                         hint=f"pass {flag} as 0 or more")


@struct
class EfficiencyPolicy:
    min_tokens: int = 1000
    floor: float = 0.0

    def __post_init__(self) -> None:
        _count("min_tokens", self.min_tokens, "--min-tokens")
        if isinstance(self.floor, bool) or not isinstance(self.floor, int | float) or \
                not math.isfinite(self.floor) or self.floor < 0:
            raise UsageError(f"floor must be a finite number of 0 or more, got {self.floor!r}",
                             hint="pass --floor as work units per token, e.g. 0.0001")


@struct
class EfficiencyEvidence:
    work: int = 0
    tokens: int = 0

    def __post_init__(self) -> None:
        _count("work", self.work, "--work")
        _count("tokens", self.tokens, "--tokens")

    @property
    def ratio(self) -> float:
        return self.work / self.tokens if self.tokens else 0.0


@struct
class EfficiencyVerdict:
    verdict: EfficiencyToken
    reason: str
    evidence: EfficiencyEvidence

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {"verdict": self.verdict.value, "reason": self.reason,
                "evidence": {"work": ev.work, "tokens": ev.tokens, "ratio": ev.ratio}}


def classify(evidence: EfficiencyEvidence, policy: EfficiencyPolicy | None = None
             ) -> EfficiencyVerdict:
    """Judge the spend; the first matching rung wins."""
    pol = policy or EfficiencyPolicy()
    token, reason = _ladder(evidence, pol)
    return EfficiencyVerdict(verdict=token, reason=reason, evidence=evidence)


def _ladder(ev: EfficiencyEvidence, pol: EfficiencyPolicy) -> tuple[EfficiencyToken, str]:
    work, tokens = ev.work, ev.tokens
    if tokens == 0:
        return EfficiencyToken.EFFICIENT, "no tokens spent — nothing to judge yet"
    if tokens < pol.min_tokens:
        return EfficiencyToken.EFFICIENT, (
            f"{tokens} token(s) spent (< min {pol.min_tokens}) — not enough spend to judge")
    if work == 0:
        return EfficiencyToken.WASTEFUL, (
            f"{tokens} tokens spent and 0 work units landed — the spend bought nothing")
    if ev.ratio < pol.floor:
        return EfficiencyToken.COSTLY, (
            f"{work} work units for {tokens} tokens — {ev.ratio:.6g} work/token, under the "
            f"{pol.floor:.6g} floor (doing work, but spending a lot per unit)")
    return EfficiencyToken.EFFICIENT, (
        f"{work} work units for {tokens} tokens — {ev.ratio:.6g} work/token (at/above the "
        f"{pol.floor:.6g} floor) — the spend bought its work")
