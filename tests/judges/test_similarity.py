"""The similarity judge: a negated claim never clears, an unusable score abstains."""

from __future__ import annotations

import sys

import pytest

from dos.judges import Claim, Stance, open_judge, safe_judge
from dos.judges.similarity import SimilarityJudge, _negated, lexical_score


@pytest.mark.parametrize(("claim", "evidence", "stance"), [
    ("tests pass", ["tests did not pass"], Stance.DISAGREE),
    ("tests pass", ["tests don't pass"], Stance.DISAGREE),
    ("tests pass", ["no, tests never pass here"], Stance.DISAGREE),
    ("tests did not pass", ["tests pass"], Stance.DISAGREE),
    ("no tests failed", ["tests failed"], Stance.DISAGREE),
    ("tests pass", ["tests pass", "tests did not pass"], Stance.ABSTAIN),
    ("tests pass", ["all tests pass"], Stance.AGREE),
    ("no tests failed", ["no tests failed today"], Stance.AGREE),
    ("the build is green", ["the deploy failed"], Stance.DISAGREE),
    ("tests pass", [], Stance.ABSTAIN),
    ("the", ["the"], Stance.ABSTAIN),
])
def test_stances(claim: str, evidence: list[str], stance: Stance) -> None:
    verdict = safe_judge(SimilarityJudge(), Claim(claim, evidence=tuple(evidence)))
    assert verdict.stance is stance, verdict


def test_negation_is_scoped_to_its_clause() -> None:
    assert _negated("tests did not pass", "pass") == {True}
    assert _negated("tests did not pass", "tests") == {False}
    assert _negated("lint failed, but tests pass", "pass") == {False}
    assert _negated("no lint errors; tests pass", "pass") == {False}
    assert _negated("nothing here", "pass") == set()


def test_the_lexical_score_is_the_share_of_claim_words_found() -> None:
    assert lexical_score("tests pass and lint clean", ["tests pass"]) == pytest.approx(0.5)
    assert lexical_score("tests pass", ["tests", "pass"]) == 1.0


@pytest.mark.parametrize(("printed", "stance"), [
    ("nan", Stance.ABSTAIN), ("inf", Stance.ABSTAIN), ("-0.5", Stance.ABSTAIN),
    ("1.5", Stance.ABSTAIN), ("0.9 probably", Stance.ABSTAIN), ("", Stance.ABSTAIN),
    ("0.95", Stance.AGREE), ("0.1", Stance.DISAGREE),
])
def test_an_external_score_must_be_a_finite_number_in_0_1(printed: str,
                                                           stance: Stance) -> None:
    judge = SimilarityJudge(command=[sys.executable, "-c", f"print({printed!r})"])
    verdict = judge.judge(Claim("tests pass", evidence=("tests pass",)), None)
    assert verdict.stance is stance, verdict


def test_the_scorer_reads_json_and_a_negation_still_vetoes_its_score() -> None:
    echo = [sys.executable, "-c",
            "import json,sys; d=json.load(sys.stdin); print(1.0 if d['evidence'] else 0.0)"]
    judge = SimilarityJudge(command=echo)
    assert judge.judge(Claim("deploy done", evidence=("deploy done",)), None).stance \
        is Stance.AGREE
    assert judge.judge(Claim("deploy done", evidence=("deploy not done",)), None).stance \
        is Stance.DISAGREE


def test_a_failing_or_hanging_scorer_abstains() -> None:
    claim = Claim("tests pass", evidence=("tests pass",))
    failing = SimilarityJudge(command=[sys.executable, "-c", "print(1.0); raise SystemExit(1)"])
    assert failing.judge(claim, None).stance is Stance.ABSTAIN
    hanging = SimilarityJudge(command=[sys.executable, "-c", "import time; time.sleep(30)"],
                              timeout_s=0.5)
    verdict = hanging.judge(claim, None)
    assert verdict.stance is Stance.ABSTAIN
    assert "timed out" in verdict.why
    missing = SimilarityJudge(command=["/nonexistent/scorer"])
    assert missing.judge(claim, None).stance is Stance.ABSTAIN


def test_the_shipped_judges_load_through_the_entry_point_group() -> None:
    judge = open_judge("similarity", {"threshold": 0.3, "command": (), "timeout_s": 5.0})
    assert isinstance(judge, SimilarityJudge)
    assert judge.threshold == 0.3
    assert open_judge("llm", {"command": (), "url": ""}).name == "llm"
    assert open_judge("operator-decision").name == "operator"
