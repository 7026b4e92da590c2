"""Every shipped skill is a valid Agent Skills file whose command lines name verbs dos
has and exit codes those verbs really give."""

from __future__ import annotations

import re

import pytest
import yaml
from tests._support.skills import SkillLine, every_line, exit_codes, skill_lines

from dos.commands import VERBS
from dos.exitcodes import contract
from dos.skills import NAME_SHAPE, skill_names, skill_text

# the workflows of the skills pack: the five, then the reference's (renamed
# where the name now says what the skill does)
EXPECTED = {"dos-verify-claim", "dos-take-lane", "dos-check-liveness", "dos-decisions-queue",
            "dos-resume-run", "dos-next-up", "dos-dispatch", "dos-dispatch-loop",
            "dos-replan", "dos-supervise-loop", "dos-unstick", "dos-promote",
            "dos-goal-gate", "dos-witness-claim", "dos-self-improve",
            "dos-grade-referee", "dos-class-cycle"}


def test_the_pack_holds_the_workflows() -> None:
    assert set(skill_names()) == EXPECTED


@pytest.mark.parametrize("name", skill_names())
def test_front_matter_is_valid_agent_skills_yaml(name: str) -> None:
    text = skill_text(name)
    assert text.startswith("---\n")
    head = text.split("\n---\n", 1)[0].removeprefix("---\n")
    data = yaml.safe_load(head)
    assert set(data) == {"name", "description"}  # metadata is what install adds
    assert data["name"] == name
    assert NAME_SHAPE.match(name)
    assert len(name) <= 64
    assert isinstance(data["description"], str)
    assert 0 < len(data["description"]) <= 1024
    assert re.search(r"\bUse (when|at|after|before)\b", data["description"])  # says when


def _verb(line: SkillLine) -> str:
    return line.command.split()[1]


@pytest.mark.parametrize("line", every_line(), ids=lambda line: f"{line.skill}:{line.command}")
def test_each_line_names_a_verb_and_codes_it_can_give(line: SkillLine) -> None:
    verb = _verb(line)
    assert verb in VERBS, f"{line.skill}: `dos {verb}` is not a verb"
    assert line.codes, "documents no exit code"
    assert not line.codes & {2, 70}, "usage and internal errors are failures, not verdicts"
    allowed = set(contract(verb).values())
    assert line.codes <= allowed, f"`dos {verb}` never exits {sorted(line.codes - allowed)}"


def test_annotation_grammar() -> None:
    assert exit_codes("0 shipped, 1 not shipped") == {0, 1}
    assert exit_codes("0 ok, 20-22 held, 3 a, b or c") == {0, 3, 20, 21, 22}
    assert exit_codes("0 drawn (shown, not judged)") == {0}
    for bad in ("shipped", "0", "x 0 ok", "3-1 backwards"):
        with pytest.raises(AssertionError):
            exit_codes(bad)


def test_every_skill_has_lines() -> None:
    assert all(skill_lines(name) for name in skill_names())
