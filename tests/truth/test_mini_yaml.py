"""The YAML subset reader used for the run registry."""

from __future__ import annotations

import pytest

from dos.truth.mini_yaml import loads


def test_block_mappings_sequences_and_scalars() -> None:
    text = """
# the registry
recently_completed:
  - plan: AUTH   # trailing comment
    phase: "AUTH50"
    status: done
    commit_sha: 1234567
    notes: |
      line one
      line two
  - {plan: X, phase: 'it''s', tags: [a, b]}
  -
    plan: Y
empty:
nothing: ~
list:
- a
- 'b # not a comment'
"""
    assert loads(text) == {
        "recently_completed": [
            {"plan": "AUTH", "phase": "AUTH50", "status": "done", "commit_sha": "1234567",
             "notes": "line one\nline two"},
            {"plan": "X", "phase": "it's", "tags": ["a", "b"]},
            {"plan": "Y"},
        ],
        "empty": None, "nothing": None, "list": ["a", "b # not a comment"],
    }


def test_json_is_accepted() -> None:
    assert loads('{"recently_completed": [{"plan": "A"}]}') == {
        "recently_completed": [{"plan": "A"}]}


def test_empty_document() -> None:
    assert loads("# nothing\n") is None


@pytest.mark.parametrize("text", [
    "a: b\n  c: d\n", "a:\n\t- b\n", "a: [1, [2\n", "a: &anchor x\n", "a: 'open\n",
    "- a\nb: c\n",
])
def test_malformed_input_names_the_line(text: str) -> None:
    with pytest.raises(ValueError, match="line"):
        loads(text)
