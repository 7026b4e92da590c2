"""``dos judge-eval``: a judge ruled on claims whose truth is known; how often did it
clear a false one?

Cases stream from the file one at a time (constant memory: only the counts, the first
:data:`SHOWN_FALSE_CLEARS` false clears and, when asked, the per-case rows are kept).
The headline rate is decisive accuracy, (correct clears + correct flags) / decisions:
a judge that abstains on everything scores 0. The verdict is FALSE_CLEAR when any false
claim was cleared, else BELOW_MIN_RATE when the headline is under ``min_rate``, else PASS.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dos.errors import UsageError
from dos.evals.cases import Case, rate, read_cases
from dos.judges import Claim, Judge, JudgeVerdict, Stance, safe_judge
from dos.structs import field, struct
from dos.verdicts.judges import JudgeEvalToken

__all__ = ["CASE_KEYS", "SHOWN_FALSE_CLEARS", "CaseResult", "JudgeEvalReport", "claim_of",
           "evaluate", "read_judge_cases", "run_cases"]

CASE_KEYS = ("claim_text", "truth", "stated_reason", "evidence", "subject")
SHOWN_FALSE_CLEARS = 100
_CELLS = {(Stance.AGREE, True): "correct_clear", (Stance.AGREE, False): "false_clear",
          (Stance.DISAGREE, False): "correct_flag", (Stance.DISAGREE, True): "false_flag",
          (Stance.ABSTAIN, True): "abstain_true", (Stance.ABSTAIN, False): "abstain_false"}


@struct
class CaseResult:
    """One case's ruling: where it was (``path:line``), what was claimed, the cell."""

    where: str
    claim: str
    truth: bool
    stance: Stance
    cell: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "claim": self.claim, "truth": self.truth,
                "stance": self.stance.value, "cell": self.cell, "why": self.why}


@struct(frozen=False)
class JudgeEvalReport:
    judge: str
    grid: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_CELLS.values(), 0))
    total_cost: float = 0.0
    false_clears: list[CaseResult] = field(default_factory=list)
    cases: list[CaseResult] | None = None
    min_rate: float | None = None

    @property
    def n(self) -> int:
        return sum(self.grid.values())

    def rates(self) -> dict[str, float]:
        g = self.grid
        agrees = g["correct_clear"] + g["false_clear"]
        disagrees = g["correct_flag"] + g["false_flag"]
        false_claims = g["false_clear"] + g["correct_flag"] + g["abstain_false"]
        return {"false_clear_rate": rate(g["false_clear"], agrees),
                "lie_leak_rate": rate(g["false_clear"], false_claims),
                "decisive_accuracy": rate(g["correct_clear"] + g["correct_flag"],
                                          agrees + disagrees),
                "abstention_rate": rate(g["abstain_true"] + g["abstain_false"], self.n),
                "cost_per_claim": self.total_cost / self.n if self.n else 0.0}

    @property
    def token(self) -> JudgeEvalToken:
        if self.grid["false_clear"]:
            return JudgeEvalToken.FALSE_CLEAR
        if self.min_rate is not None and self.rates()["decisive_accuracy"] < self.min_rate:
            return JudgeEvalToken.BELOW_MIN_RATE
        return JudgeEvalToken.PASS


def claim_of(case: Case) -> tuple[Claim, bool]:
    """The claim a case line states and its label; evidence must be a list of strings."""
    truth = case.label("truth")
    evidence = case.raw.get("evidence")
    evidence = [] if evidence is None else evidence
    if not isinstance(evidence, list) or not all(isinstance(line, str) for line in evidence):
        raise UsageError(f"{case.where}: evidence must be an array of strings",
                         hint='write evidence as ["one line", "another line"]')
    text = case.text("claim_text", limit=65_536)
    return Claim(text, case.text("stated_reason", limit=65_536), tuple(evidence),
                 case.text("subject")), truth


def evaluate(report: JudgeEvalReport, where: str, claim: Claim, truth: bool,
             verdict: JudgeVerdict) -> None:
    """Fold one ruling into ``report``."""
    cell = _CELLS[(verdict.stance, truth)]
    report.grid[cell] += 1
    report.total_cost += verdict.cost
    if cell == "false_clear" and len(report.false_clears) >= SHOWN_FALSE_CLEARS \
            and report.cases is None:
        return
    row = CaseResult(where, claim.claim_text[:200], truth, verdict.stance, cell,
                     verdict.why[:200])
    if cell == "false_clear" and len(report.false_clears) < SHOWN_FALSE_CLEARS:
        report.false_clears.append(row)
    if report.cases is not None:
        report.cases.append(row)


def run_cases(cases: Iterable[Case], judge: Judge, config: Any, *,
              min_rate: float | None = None, show_cases: bool = False) -> JudgeEvalReport:
    """Rule on every case, one at a time."""
    report = JudgeEvalReport(judge.name, min_rate=min_rate,
                             cases=[] if show_cases else None)
    for case in cases:
        claim, truth = claim_of(case)
        evaluate(report, case.where, claim, truth, safe_judge(judge, claim, config))
    return report


def read_judge_cases(path: str) -> Iterable[Case]:
    return read_cases(path, required=("claim_text", "truth"), known=CASE_KEYS)
