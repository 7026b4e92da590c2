"""intervention-eval's confidence policy: which intervention a HIGH, LOW or NONE flag
gets, how a provenance-verdict object is reduced to one, and how the report shows it."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from tests._support.fuzz import make_workspace, run_dos

from dos.errors import UsageError
from dos.evals.cases import read_cases
from dos.evals.intervention import KEYS, KNOWN
from dos.evals.intervention_policy import (
    RUNGS,
    Confidence,
    ConfidencePolicy,
    check,
    policy_of,
)
from dos.evals.provenance_case import confidence_of
from dos.verdicts.gates import HookExitToken as T

CASES = Path(__file__).resolve().parents[1] / "cases" / "eval" / "intervention"


def test_a_verdict_object_is_reduced_by_the_confidence_rule() -> None:
    cases = read_cases(CASES / "verdict_objects.jsonl", required=KEYS, known=KNOWN)
    assert [confidence_of(case) for case in cases] == [
        Confidence.HIGH, Confidence.LOW, Confidence.LOW, Confidence.NONE, Confidence.NONE]


def test_a_string_verdict_is_left_to_the_hook_exit_map() -> None:
    [case, *_] = read_cases(CASES / "corpus.jsonl", required=KEYS, known=KNOWN)
    assert confidence_of(case) is None


def test_high_and_low_are_held_between_the_floor_and_the_ceiling() -> None:
    unchecked = ConfidencePolicy(on_high=T.DEFER, on_low=T.OBSERVE, ceiling=T.BLOCK)
    assert unchecked.choose(Confidence.HIGH) is T.BLOCK
    assert unchecked.choose(Confidence.LOW) is T.WARN
    assert unchecked.choose(Confidence.NONE) is T.OBSERVE  # no flag: the floor does not apply


def test_no_flag_may_get_more_than_a_low_one() -> None:
    # unreachable from the flags (on_none is always OBSERVE), so checked on the policy itself
    policy = ConfidencePolicy(on_high=T.BLOCK, on_low=T.WARN, ceiling=T.BLOCK,
                              on_none=T.BLOCK)
    with pytest.raises(UsageError, match="on_none 'BLOCK' is more disruptive than "
                       "on_low_confidence 'WARN'"):
        check(policy)


NAMES = [None, *(rung.value for rung in RUNGS)]


@pytest.mark.parametrize(("high", "low", "ceiling"), itertools.product(NAMES, NAMES, NAMES))
def test_every_accepted_policy_orders_its_answers(high: str | None, low: str | None,
                                                  ceiling: str | None) -> None:
    try:
        policy = policy_of(high, low, ceiling)
    except UsageError:
        return
    rank = {rung: index for index, rung in enumerate(RUNGS)}
    none, weak, strong = (rank[policy.choose(c)] for c in
                          (Confidence.NONE, Confidence.LOW, Confidence.HIGH))
    assert none <= weak <= strong <= rank[policy.ceiling]
    assert weak >= rank[T.WARN]
    assert policy.choose(Confidence.HIGH) is T[high or ceiling or "BLOCK"]


def _text(tmp_path: Path, name: str, *argv: str) -> str:
    make_workspace(tmp_path)
    shutil.copy(CASES / name, tmp_path / name)
    ran = run_dos(["--workspace", str(tmp_path), "intervention-eval", "--cases", name, *argv],
                  cwd=tmp_path)
    assert ran.code == 0, ran.err
    return ran.out


def test_the_report_shows_the_policy_as_typed(tmp_path: Path) -> None:
    out = _text(tmp_path, "spec_example.jsonl", "--high", "block", "--low", "Warn")
    assert "POLICY         high=block  low=Warn  ceiling=BLOCK" in out
    assert "UNSUPPORTED (exit 3)" not in out  # no string verdict was scored by the map
    assert "NET TASK DELTA +0.0400" in out
    assert "EFFECT         net-positive-or-neutral" in out


def test_string_verdicts_show_only_the_hook_exit_map(tmp_path: Path) -> None:
    out = _text(tmp_path, "corpus.jsonl", "--map", "3=BLOCK")
    assert "POLICY         UNSUPPORTED (exit 3) -> BLOCK" in out
    assert "high=" not in out


def test_the_readme_case_lines_run_as_written(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Grading the id-provenance gate", 1)[1]
    (tmp_path / "readme.jsonl").write_text(section.split("```jsonl\n", 1)[1].split("```", 1)[0],
                                           encoding="utf-8")
    make_workspace(tmp_path)
    ran = run_dos(["--workspace", str(tmp_path), "--json", "intervention-eval", "--cases",
                   "readme.jsonl"], cwd=tmp_path)
    assert ran.code == 1, ran.err
    assert json.loads(ran.out)["scored_by"] == {"confidence_policy": 2, "hook_exit_map": 1}
    assert json.loads(ran.out)["actions"]["BLOCK"] == 2
