"""Does a new test witness a change? Red on the baseline, green on the candidate.

Pure. The outcomes come from runs dos made itself (ENVIRONMENT_WITNESSED) or from the
caller's flags (CALLER_CLAIMED); the rung is part of the verdict either way. A baseline
that *errored* (the test could not even run, e.g. an import of a module the change adds)
witnesses only structure, so it is not a witness unless the policy allows it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.gates import Rung, TestWitnessToken

__all__ = ["Outcome", "WitnessEvidence", "WitnessPolicy", "WitnessVerdict", "classify",
           "parse_outcome"]


class Outcome(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    ERRORED = "ERRORED"
    NOT_RUN = "NOT_RUN"


_WORDS = {"pass": Outcome.PASSED, "passed": Outcome.PASSED, "fail": Outcome.FAILED,
          "failed": Outcome.FAILED, "error": Outcome.ERRORED, "errored": Outcome.ERRORED,
          "not-run": Outcome.NOT_RUN, "notrun": Outcome.NOT_RUN, "not_run": Outcome.NOT_RUN}


def parse_outcome(text: str, flag: str) -> Outcome:
    """``pass``/``fail``/``error``/``not-run`` (any case, ``passed`` … too)."""
    found = _WORDS.get(text.strip().lower())
    if found is None:
        raise UsageError(f"{flag} {text!r} is not an outcome",
                         hint=f"pass {flag} as pass, fail, error or not-run (with --run, "
                         "a git ref)")
    return found


@struct
class WitnessPolicy:
    allow_structural: bool = False  # an errored baseline that passes after still witnesses
    require_witnessed: bool = False  # caller-claimed outcomes abstain


@struct
class WitnessEvidence:
    baseline: Outcome
    candidate: Outcome
    rung: Rung
    flaky: tuple[str, ...] = ()  # the sides whose repeated runs disagreed


@struct
class WitnessVerdict:
    verdict: TestWitnessToken
    reason: str
    assert_level: bool
    evidence: WitnessEvidence

    @property
    def witnesses(self) -> bool:
        return self.verdict is TestWitnessToken.DISCRIMINATES

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {"verdict": self.verdict.value, "reason": self.reason,
                "witnesses": self.witnesses, "assert_level": self.assert_level,
                "rung": ev.rung.value,
                "evidence": {"baseline": ev.baseline.value, "candidate": ev.candidate.value,
                             "rung": ev.rung.value, "flaky": list(ev.flaky)}}


def classify(evidence: WitnessEvidence, policy: WitnessPolicy | None = None) -> WitnessVerdict:
    """The first matching rung of the ladder wins."""
    pol = policy or WitnessPolicy()
    token, reason, assert_level = _ladder(evidence, pol)
    said = f"baseline {evidence.baseline.value}, candidate {evidence.candidate.value}"
    rung = f" [{evidence.rung.value}]"
    return WitnessVerdict(token, f"{said} — {reason}{rung}", assert_level, evidence)


def _ladder(ev: WitnessEvidence, pol: WitnessPolicy) -> tuple[TestWitnessToken, str, bool]:
    abstain = TestWitnessToken.ABSTAIN
    if ev.rung is Rung.AGENT_AUTHORED:
        return abstain, "the outcomes are agent-authored (forgeable): no witness", False
    if pol.require_witnessed and ev.rung is Rung.CALLER_CLAIMED:
        return abstain, ("the outcomes are caller-claimed and the policy requires runs dos "
                         "witnessed (use --run)"), False
    missing = [side for side, outcome in (("baseline", ev.baseline),
                                          ("candidate", ev.candidate))
               if outcome is Outcome.NOT_RUN]
    if missing:
        runs = " and ".join(missing) + (" runs are" if len(missing) == 2 else " run is")
        return abstain, f"the {runs} missing (NOT_RUN) — nothing to compare", False
    if ev.flaky:
        return abstain, (f"the {' and '.join(ev.flaky)} runs disagreed with themselves "
                         "(flaky) — a flaky test witnesses nothing"), False
    return _compare(ev, pol)


def _compare(ev: WitnessEvidence, pol: WitnessPolicy) -> tuple[TestWitnessToken, str, bool]:
    passed = Outcome.PASSED
    if ev.baseline is passed and ev.candidate is not passed:
        return TestWitnessToken.REGRESSIVE, ("green->red: the change broke this test"), False
    if ev.candidate is not passed:
        return TestWitnessToken.UNSATISFIED, ("the candidate does not pass its own test"), False
    if ev.baseline is passed:
        return TestWitnessToken.VACUOUS, ("green on both sides: the test does not tell the "
                                          "change from its absence"), False
    if ev.baseline is Outcome.ERRORED and not pol.allow_structural:
        return TestWitnessToken.ABSTAIN, (
            "the baseline errored before any assertion ran, so the test shows only that "
            "something new exists (structural); allow it with --allow-structural"), False
    if ev.baseline is Outcome.ERRORED:
        return TestWitnessToken.DISCRIMINATES, (
            "red->green across the change: this test witnesses it; structural (the "
            "baseline errored, no assertion ran there)"), False
    return TestWitnessToken.DISCRIMINATES, (
        "red->green across the change: this test witnesses it; assert-level (the baseline "
        "ran and failed)"), True
