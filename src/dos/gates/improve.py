"""Keep, revert or escalate one candidate change of a self-improving loop.

Pure. A red suite, dirty truth *or a metric that fell* is a regression; an improvement
must also pay for itself when the efficiency floor is armed, and a spend reported under
``min_tokens`` is judged as ``min_tokens`` (under-reporting cannot slip past the floor).
Consecutive reverts trip an escalation to a human at ``max_reverts``; KEEP resets them.
"""

from __future__ import annotations

import math
from typing import Any

from dos.errors import UsageError
from dos.structs import field, struct
from dos.temporal.efficiency import EfficiencyEvidence, EfficiencyPolicy
from dos.temporal.efficiency import classify as efficiency
from dos.verdicts.efficiency import EfficiencyToken
from dos.verdicts.gates import ImproveToken, Rung

__all__ = ["ImproveEvidence", "ImprovePolicy", "ImproveVerdict", "classify"]


def _count(name: str, value: int, low: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise UsageError(f"{name} must be an integer of {low} or more, got {value!r}",
                         hint=f"pass --{name.replace('_', '-')} as {low} or more")


@struct
class ImprovePolicy:
    max_reverts: int = 3
    efficiency_floor: float = 0.0
    min_tokens: int = 1000
    require_witnessed: bool = False  # a KEEP on caller-claimed facts goes to a human

    def __post_init__(self) -> None:
        _count("max_reverts", self.max_reverts, 1)
        _count("min_tokens", self.min_tokens)
        floor = self.efficiency_floor
        if isinstance(floor, bool) or not isinstance(floor, int | float) or \
                not math.isfinite(floor) or floor < 0:
            raise UsageError(f"efficiency_floor must be a finite number of 0 or more, got "
                             f"{floor!r}", hint="pass --efficiency-floor as work per token")


@struct
class ImproveEvidence:
    suite_passed: bool
    truth_clean: bool
    work: int = 0
    baseline_work: int = 0
    tokens: int = 0
    consecutive_reverts: int = 0
    narrated: str = ""
    # fact (suite, truth, work, tokens) → who authored it
    rungs: dict[str, Rung] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("work", "baseline_work", "tokens", "consecutive_reverts"):
            _count(name, getattr(self, name))

    def rung(self, fact: str) -> Rung:
        return self.rungs.get(fact, Rung.CALLER_CLAIMED)


@struct
class ImproveVerdict:
    verdict: ImproveToken
    revert_cause: str | None
    escalation: str
    next_consecutive_reverts: int
    reason: str
    rung: Rung
    evidence: ImproveEvidence

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        delta = ev.work - ev.baseline_work
        return {"verdict": self.verdict.value, "revert_cause": self.revert_cause,
                "escalation": self.escalation, "rung": self.rung.value,
                "next_consecutive_reverts": self.next_consecutive_reverts,
                "reason": self.reason,
                "evidence": {"suite_passed": ev.suite_passed, "truth_clean": ev.truth_clean,
                             "work": ev.work, "baseline_work": ev.baseline_work,
                             "delta": delta, "improved": delta > 0, "tokens": ev.tokens,
                             "consecutive_reverts": ev.consecutive_reverts,
                             "narrated": ev.narrated,
                             "rungs": {fact: ev.rung(fact).value
                                       for fact in ("suite", "truth", "work", "tokens")}}}


def classify(evidence: ImproveEvidence, policy: ImprovePolicy | None = None) -> ImproveVerdict:
    """KEEP, REVERT or ESCALATE; the first matching rung of the ladder wins."""
    pol = policy or ImprovePolicy()
    cause, why, used = _judge(evidence, pol)
    rung = _weakest(evidence, used)
    if cause is None and pol.require_witnessed and rung is not Rung.ENVIRONMENT_WITNESSED:
        return ImproveVerdict(
            ImproveToken.ESCALATE, "unwitnessed", "HUMAN", evidence.consecutive_reverts,
            f"{why}, but {_claimed(evidence, used)} caller-claimed and the policy requires "
            "witnessed facts — hold the candidate for a human", rung, evidence)
    if cause is None:
        return ImproveVerdict(ImproveToken.KEEP, None, "NONE", 0,
                              f"candidate KEPT — {why}", rung, evidence)
    count = evidence.consecutive_reverts + 1
    streak = f"({count}/{pol.max_reverts} consecutive reverts)"
    if count >= pol.max_reverts:
        return ImproveVerdict(
            ImproveToken.ESCALATE, cause, "HUMAN", count,
            f"{why} — revert; AND that is {count} reverts in a row (>= {pol.max_reverts}) — "
            "revert and ESCALATE to a human", rung, evidence)
    return ImproveVerdict(ImproveToken.REVERT, cause, "NONE", count,
                          f"{why} — revert {streak}", rung, evidence)


def _judge(ev: ImproveEvidence, pol: ImprovePolicy) -> tuple[str | None, str, tuple[str, ...]]:
    """(revert cause or None, why, the facts the decision rests on)."""
    base, work = ev.baseline_work, ev.work
    if not ev.suite_passed:
        return "regressed", "candidate REGRESSED (the test suite is RED)", ("suite",)
    if not ev.truth_clean:
        return "regressed", ("candidate REGRESSED (the truth check is DIRTY: dos verify / "
                             "commit-audit refused)"), ("suite", "truth")
    facts = ("suite", "truth", "work")
    if work < base:
        return "regressed", (f"candidate REGRESSED the metric ({base} -> {work}, "
                             f"{work - base:+d}) though suite and truth are clean"), facts
    if work == base:
        return "no-improvement", (f"candidate is safe (suite green, truth clean) but did not "
                                  f"improve the metric (flat at {work})"), facts
    gain = f"metric improved {base} -> {work} ({work - base:+d})"
    if pol.efficiency_floor > 0:
        return _priced(ev, pol, gain)
    return None, f"suite green, truth clean, {gain}", facts


def _priced(ev: ImproveEvidence, pol: ImprovePolicy, gain: str
            ) -> tuple[str | None, str, tuple[str, ...]]:
    facts = ("suite", "truth", "work", "tokens")
    spend = max(ev.tokens, pol.min_tokens)
    if spend == 0:
        return "unmeasured", (f"candidate {gain} but reported no spend, and an armed "
                              f"efficiency floor ({pol.efficiency_floor:g}) cannot pass an "
                              "unmeasured cost"), facts
    priced = efficiency(EfficiencyEvidence(work=ev.work - ev.baseline_work, tokens=spend),
                        EfficiencyPolicy(min_tokens=0, floor=pol.efficiency_floor))
    counted = f"{ev.tokens} tokens reported, judged as {spend}" if spend != ev.tokens else (
        f"{spend} tokens")
    if priced.verdict is not EfficiencyToken.EFFICIENT:
        return "wasteful", (f"candidate {gain} but the spend was {priced.verdict.value} for "
                            f"that gain ({counted}; {priced.reason}) — an overpriced "
                            "improvement"), facts
    return None, f"suite green, truth clean, {gain}, worth its spend ({counted})", facts


def _weakest(ev: ImproveEvidence, used: tuple[str, ...]) -> Rung:
    order = (Rung.AGENT_AUTHORED, Rung.CALLER_CLAIMED, Rung.ENVIRONMENT_WITNESSED)
    rungs = {ev.rung(fact) for fact in used}
    return next((rung for rung in order if rung in rungs), Rung.ENVIRONMENT_WITNESSED)


def _claimed(ev: ImproveEvidence, used: tuple[str, ...]) -> str:
    names = [fact for fact in used if ev.rung(fact) is not Rung.ENVIRONMENT_WITNESSED]
    return ", ".join(names) + (" is" if len(names) == 1 else " are")
