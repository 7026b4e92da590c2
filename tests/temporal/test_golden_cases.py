"""Temporal verdicts against their golden cases (tests/cases/temporal/*.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos.errors import UsageError
from dos.temporal import breaker, cooldown, efficiency, liveness, productivity, supervise
from dos.verdicts.temporal import LivenessToken

CASE_DIR = Path(__file__).resolve().parents[1] / "cases" / "temporal"
NOW_MS = 1_795_000_000_000


def _load() -> list[Any]:
    cases = []
    for path in sorted(CASE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        cases += [pytest.param(data["kind"], case, id=f"{path.stem}: {case['name']}")
                  for case in data["case"]]
    return cases


def _liveness(case: dict[str, Any]) -> dict[str, Any]:
    evidence = liveness.LivenessEvidence(now_ms=case.get("now_ms", NOW_MS), **case["evidence"])
    verdict = liveness.classify(evidence, liveness.LivenessPolicy(**case.get("policy", {})))
    return {"verdict": verdict.verdict.value, "reason": verdict.reason}


def _productivity(case: dict[str, Any]) -> dict[str, Any]:
    verdict = productivity.classify(productivity.WorkHistory.of(case["deltas"]),
                                    productivity.ProductivityPolicy(**case.get("policy", {})))
    return {"verdict": verdict.verdict.value, "reason": verdict.reason}


def _efficiency(case: dict[str, Any]) -> dict[str, Any]:
    verdict = efficiency.classify(efficiency.EfficiencyEvidence(**case["evidence"]),
                                  efficiency.EfficiencyPolicy(**case.get("policy", {})))
    return {"verdict": verdict.verdict.value, "reason": verdict.reason}


def _breaker(case: dict[str, Any]) -> dict[str, Any]:
    verdict = breaker.classify(breaker.FailureCounts(**case["counts"]),
                               breaker.BreakerPolicy(**case.get("policy", {})))
    return verdict.to_dict()


def _cooldown(case: dict[str, Any]) -> dict[str, Any]:
    attempts = [cooldown.Attempt(**item) for item in case["attempts"]]
    verdict = cooldown.classify("AUTH2", attempts, case.get("now_ms", NOW_MS),
                                cooldown.CooldownPolicy(**case.get("policy", {})))
    return verdict.to_dict()


def _supervise(case: dict[str, Any]) -> dict[str, Any]:
    lanes = []
    for raw in case["lanes"]:
        fields = dict(raw)
        if fields.get("liveness"):
            fields["liveness"] = LivenessToken[fields["liveness"]]
        lanes.append(supervise.LaneState(**fields))
    plan = supervise.supervise(lanes, supervise.SupervisePolicy(**case.get("policy", {})))
    result = plan.to_dict()
    for key in ("spawn", "reap", "flag", "proposed_halt", "escalate"):
        result[key] = [row["lane"] for row in result[key]]
    result["commands"] = " ".join(p.command for p in plan.plans)
    return result


RUNNERS = {"liveness": _liveness, "productivity": _productivity, "efficiency": _efficiency,
           "breaker": _breaker, "cooldown": _cooldown, "supervise": _supervise}


@pytest.mark.parametrize(("kind", "case"), _load())
def test_golden_case(kind: str, case: dict[str, Any]) -> None:
    expect = dict(case["expect"])
    if "error" in expect:
        with pytest.raises(UsageError):
            RUNNERS[kind](case)
        return
    result = RUNNERS[kind](case)
    if "reason_contains" in expect:
        assert expect.pop("reason_contains") in result["reason"], result["reason"]
    if "command_contains" in expect:
        assert expect.pop("command_contains") in result["commands"], result["commands"]
    for key, wanted in expect.items():
        assert result[key] == wanted, f"{key}: {result[key]!r} != {wanted!r} ({result})"


def test_there_are_cases_for_every_verdict() -> None:
    kinds = {param.values[0] for param in _load()}
    assert kinds == set(RUNNERS)
