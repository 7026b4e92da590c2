"""The negation detector, on its golden cases (tests/cases/negation/negation.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos.truth import negation
from dos.truth.negation import CueKind, cues_in, is_negated, negated_at

CASES = tomllib.loads((Path(__file__).resolve().parents[1] / "cases" / "negation"
                       / "negation.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES["span"], ids=lambda c: f"{c['span']} in {c['text']}")
def test_a_span_is_negated_by_its_clause(case: dict[str, Any]) -> None:
    start = case["text"].index(case["span"])
    assert negated_at(case["text"], start, start + len(case["span"])) is case["negated"]


@pytest.mark.parametrize("case", CASES["whole"], ids=lambda c: c["text"])
def test_a_whole_text_is_a_denial_or_not(case: dict[str, Any]) -> None:
    assert is_negated(case["text"]) is case["negated"]


def test_cues_carry_their_kind_and_place() -> None:
    found = cues_in("foo.py was not removed; `--no-x` stays")
    assert [(cue.text, cue.kind, cue.start) for cue in found] == [
        ("not", CueKind.NEGATOR, 11), ("removed", CueKind.REMOVAL, 15)]


def test_kinds_limit_which_cues_count() -> None:
    text = "abc1234 removed the file"
    assert negated_at(text, 0, 7)
    assert not negated_at(text, 0, 7, kinds=frozenset({CueKind.NEGATOR}))


def test_the_public_surface() -> None:
    assert sorted(negation.__all__) == ["Cue", "CueKind", "clause_bounds", "cues_in",
                                        "is_negated", "negated_at"]
