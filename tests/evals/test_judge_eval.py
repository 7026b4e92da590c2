"""`dos judge-eval` beyond the golden cases: the text report, the per-case listing, the
cap on remembered false clears, the journal record, and a reader that leaves early."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos.evals.cases import Case
from dos.evals.judge_eval import CASE_KEYS, SHOWN_FALSE_CLEARS, run_cases
from dos.judges.similarity import SimilarityJudge
from dos.record.verdict_journal import read_events
from dos.workspace import load_config

LIE = {"claim_text": "the cache was flushed", "truth": False,
       "evidence": ["the cache was flushed"]}
TRUTH = {"claim_text": "tests pass", "truth": True, "evidence": ["tests pass"]}


def _file(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_text_report_names_the_false_clear_and_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _file(tmp_path, [TRUTH, LIE])
    code, out, _ = run_cli(capsys, ["judge-eval", "--cases", str(cases), "--show-cases"])
    assert code == 1
    assert f"FALSE-CLEAR    {cases}:2  'the cache was flushed'" in out
    assert f"  {cases}:1  AGREE    correct_clear" in out
    assert out.rstrip().endswith("VERDICT        FALSE_CLEAR")
    assert "decisive accuracy  0.500" in out


def test_only_the_first_false_clears_are_remembered_and_no_case_is_kept() -> None:
    rows = (Case(LIE, f"f:{n}", CASE_KEYS) for n in range(SHOWN_FALSE_CLEARS + 50))
    report = run_cases(rows, SimilarityJudge(), None)
    assert report.grid["false_clear"] == SHOWN_FALSE_CLEARS + 50
    assert len(report.false_clears) == SHOWN_FALSE_CLEARS
    assert report.cases is None


def test_the_grade_is_journaled(git_repo: Callable[..., Any], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo("ws")
    repo.commit("init", {"README.md": "x\n"})
    run_cli(capsys, ["--workspace", str(repo.path), "id-alloc", "allocate", "t"])  # a store
    cases = _file(tmp_path, [TRUTH, LIE])
    assert run_cli(capsys, ["--workspace", str(repo.path), "judge-eval", "--cases",
                            str(cases)])[0] == 1
    events = [e for e in read_events(load_config(str(repo.path), None))
              if e.syscall == "judge-eval"]
    assert [(e.verdict, e.subject, e.detail["false_clear"]) for e in events] == \
        [("FALSE_CLEAR", "similarity", 1)]


def test_a_reader_that_leaves_early_is_no_traceback(tmp_path: Path) -> None:
    cases = _file(tmp_path, [TRUTH, LIE] * 200)
    command = (f"set -o pipefail; {sys.executable} -m dos judge-eval --cases {cases} "
               "--show-cases | head -n 1")
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                          timeout=60, check=False, cwd=tmp_path)
    assert done.stdout.startswith("JUDGE")
    assert "Traceback" not in done.stderr
    assert done.returncode != 0  # the verdict (1) or the closed pipe, never a clean pass
