"""``dos judge-eval``: grade a judge on labelled claims, for the CLI and MCP alike.

The judge is built from the workspace's ``[judges.<name>]`` settings and rules with the
workspace's config in hand (``--workspace`` applies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.evals.judge_eval import JudgeEvalReport, read_judge_cases, run_cases
from dos.render import with_schema

__all__ = ["judge_eval", "judge_eval_json", "judge_eval_text", "judge_options"]

_ROUND = 4


def judge_options(config: SubstrateConfig, name: str) -> dict[str, Any]:
    """The ``[judges.<name>]`` settings (``operator-decision`` is ``operator``)."""
    table = config.table("judges").get(name, {})
    return dict(table) if isinstance(table, dict) else {}


def judge_eval(config: SubstrateConfig, *, cases: Path, judge: str = "similarity",
               min_rate: float | None = None, show_cases: bool = False) -> JudgeEvalReport:
    """Every case of ``cases`` ruled on by ``judge``; a bad line is a usage error."""
    from dos.judges import open_judge

    chosen = open_judge(judge, judge_options(config, judge))
    return run_cases(read_judge_cases(str(cases)), chosen, config, min_rate=min_rate,
                     show_cases=show_cases)


def judge_eval_json(report: JudgeEvalReport, cases: str) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "verdict": report.token.value, "judge": report.judge, "cases": cases, "n": report.n,
        "grid": dict(report.grid),
        "rates": {key: round(value, _ROUND) for key, value in report.rates().items()},
        "headline": "decisive_accuracy", "min_rate": report.min_rate,
        "total_cost": report.total_cost,
        "false_clear_cases": [row.to_dict() for row in report.false_clears]}
    if report.cases is not None:
        payload["case_results"] = [row.to_dict() for row in report.cases]
    return dict(with_schema(payload, "judge-eval"))


def judge_eval_text(report: JudgeEvalReport) -> str:
    g, r = report.grid, report.rates()
    false_claims = g["false_clear"] + g["correct_flag"] + g["abstain_false"]
    agrees, disagrees = g["correct_clear"] + g["false_clear"], g["correct_flag"] + g["false_flag"]
    lines = [f"JUDGE          {report.judge}",
             f"CASES          {report.n}  ({false_claims} false, {report.n - false_claims} true)",
             f"confusion      AGREE={agrees} DISAGREE={disagrees} "
             f"ABSTAIN={g['abstain_true'] + g['abstain_false']}",
             f"  correct-clear  {g['correct_clear']:>6}   (agreed, was true)",
             f"  FALSE-CLEAR    {g['false_clear']:>6}   (agreed, was FALSE — the dangerous cell)",
             f"  correct-flag   {g['correct_flag']:>6}   (disagreed, was false)",
             f"  false-flag     {g['false_flag']:>6}   (disagreed, was true — costs a review)",
             f"  abstained      {g['abstain_true'] + g['abstain_false']:>6}   "
             f"({g['abstain_false']} false, {g['abstain_true']} true: a human decides)",
             f"false-clear rate   {r['false_clear_rate']:.3f}   (of claims it cleared)",
             f"lie-leak rate      {r['lie_leak_rate']:.3f}   (of all false claims)",
             f"decisive accuracy  {r['decisive_accuracy']:.3f}   (when it committed; the "
             "headline)",
             f"abstention rate    {r['abstention_rate']:.3f}",
             f"cost / claim       {r['cost_per_claim']:.6f}"]
    lines += [f"  {row.where}  {row.stance.value:<8} {row.cell:<13} {row.claim[:60]!r}"
              for row in (report.cases or ())]
    lines += [f"FALSE-CLEAR    {row.where}  {row.claim[:60]!r}  ({row.why[:80]})"
              for row in report.false_clears]
    if report.grid["false_clear"] > len(report.false_clears):
        lines.append(f"FALSE-CLEAR    … {report.grid['false_clear'] - len(report.false_clears)}"
                     " more (the first ones are listed)")
    lines.append(f"VERDICT        {report.token.value}")
    return "\n".join(lines)
