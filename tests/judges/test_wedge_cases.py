"""The wedge oracle's ladder, case by case (tests/cases/eval/judge/wedge.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos.judges.wedge import HeldFacts, PickerAnswer, PlanFacts, classify

_FILE = Path(__file__).resolve().parents[1] / "cases" / "eval" / "judge" / "wedge.toml"
CASES = tomllib.loads(_FILE.read_text(encoding="utf-8"))["case"]


def _tuples(table: dict[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value
            for key, value in table.items()}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_wedge_case(case: dict[str, Any]) -> None:
    answer = PickerAnswer("RID-1", 1, 1_000, **case["answer"])
    held = HeldFacts(**_tuples(case["held"])) if "held" in case else None
    plans = PlanFacts(**_tuples(case["plans"])) if "plans" in case else None
    verdict = classify(answer, held, plans)
    assert verdict.token.value == case["verdict"], verdict
    assert verdict.oracle_disagrees is (case["verdict"] == "DISAGREES")
    assert verdict.outcome == case.get("outcome", "NO_PICK")
    if "cause" in case:
        assert verdict.cause == case["cause"]
    if "evidence" in case:
        assert case["evidence"] in verdict.evidence[0], verdict.evidence
