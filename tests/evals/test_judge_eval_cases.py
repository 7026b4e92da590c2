"""`dos judge-eval` against the golden case files in tests/cases/eval/judge/: every
weakness of evaluation.md §3.4 is one case our harness must pass."""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

HERE = Path(__file__).resolve().parents[1] / "cases" / "eval" / "judge"
CASES = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case: dict[str, Any], git_repo: Callable[..., Any],
                     capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo("ws")
    files = {"README.md": "x\n"}
    if "toml" in case:
        files["dos.toml"] = case["toml"].replace("{python}", sys.executable).replace(
            "{here}", str(HERE))
    repo.commit("init", files)
    cases = HERE / case["file"]
    code, out, err = run_cli(capsys, ["--workspace", str(repo.path), "judge-eval", "--cases",
                                      str(cases), "--judge", case["judge"],
                                      *case.get("args", []), "--json"])
    assert code == case["exit"], (out, err)
    if "stderr_contains" in case:
        assert case["stderr_contains"] in err
        assert out == ""  # no partial report
        return
    report = json.loads(out)
    if "verdict" in case:
        assert report["verdict"] == case["verdict"]
    for cell, count in case.get("grid", {}).items():
        assert report["grid"][cell] == count, (cell, report["grid"])
    where = [row["where"] for row in report["false_clear_cases"]]
    assert where == [f"{cases}:{line}" for line in case.get("false_clears", [])]
