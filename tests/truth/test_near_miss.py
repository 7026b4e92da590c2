"""`dos verify --explain` shows the near misses: subjects that almost stamp the phase
(another spelling, no separator, another plan), each with why it did not count."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos.settings.policy import StampGrammar
from dos.truth.commits import Commit
from dos.truth.near_miss import near_misses
from dos.truth.stamp import PhaseQuery, compile_stamp


@pytest.mark.parametrize(("plan", "phase", "subject", "why"), [
    ("AUTH", "AUTH1", "AUTH-1: ship the login", "spells the phase 'AUTH-1'; the stamp spells "
                                                "it 'AUTH1'"),
    ("AUTH", "AUTH1", "auth_1: ship the login", "spells the phase 'auth_1'"),
    ("AUTH", "AUTH1", "AUTH1 ship the login", "has no ':' after the phase"),
    ("AUTH", "AUTH1", "LOGIN: AUTH1 done", "stamps it under plan 'LOGIN', not 'AUTH'"),
    ("LOGIN", "AUTH1", "AUTH1: the login", "opens with 'AUTH1:', which does not name plan "
                                           "'LOGIN'"),
    ("AUTH", "AUTH1", "feat(AUTH1): the login", "names the phase inside the subject"),
    ("AUTH", "1", "AUTH 1 the login", "has no ':' after the phase"),
])
def test_each_near_miss_says_why(plan: str, phase: str, subject: str, why: str) -> None:
    stamp = compile_stamp(PhaseQuery(plan, phase), StampGrammar())
    [miss] = near_misses(stamp, [Commit("a" * 40, (), subject)])
    assert why in miss.why
    assert miss.sha == "a" * 12


@pytest.mark.parametrize("subject", ["AUTH1: shipped", "auth1: shipped", "AUTH10: other",
                                     "AUTH1.1: a sub-phase", "Revert \"AUTH-1: x\"",
                                     "nothing about it"])
def test_real_stamps_and_unrelated_subjects_are_not_near_misses(subject: str) -> None:
    stamp = compile_stamp(PhaseQuery("AUTH", "AUTH1"), StampGrammar())
    assert near_misses(stamp, [Commit("b" * 40, (), subject)]) == []


def test_a_phase_named_only_in_the_body() -> None:
    stamp = compile_stamp(PhaseQuery("AUTH", "AUTH1"), StampGrammar())
    [miss] = near_misses(stamp, [Commit("c" * 40, (), "ship login", "part of AUTH1")])
    assert miss.why == "names the phase only in the message body"


def test_progress_markers_are_named() -> None:
    grammar = StampGrammar(progress_markers=("wip",))
    stamp = compile_stamp(PhaseQuery("AUTH", "AUTH1"), grammar)
    [miss] = near_misses(stamp, [Commit("d" * 40, (), "AUTH1: wip login")])
    assert miss.why == "is marked in progress ('wip'), not shipped"


def test_verify_explain_lists_them_from_git(git_repo: Callable[..., Any],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("init", {"a.txt": "a\n"})
    repo.commit("AUTH-1: ship the login", {"src/login.py": "x\n"})
    repo.commit("unrelated", {"b.txt": "b\n"})
    repo.commit("AUTH1 ship the logout", {"src/logout.py": "y\n"})
    ws = ["--workspace", str(repo.path), "verify", "AUTH", "AUTH1", "--explain"]
    code, out, _ = run_cli(capsys, ws)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("NOT_SHIPPED AUTH AUTH1")
    assert lines[2].startswith("near miss: ")
    assert '"AUTH1 ship the logout" — has no \':\' after the phase' in lines[2]
    assert '"AUTH-1: ship the login" — spells the phase \'AUTH-1\'' in lines[3]
    code, out, _ = run_cli(capsys, [*ws, "--json"])
    payload = json.loads(out)
    assert code == 1
    assert [m["subject"] for m in payload["near_misses"]] == [
        "AUTH1 ship the logout", "AUTH-1: ship the login"]


def test_a_shipped_phase_lists_none(git_repo: Callable[..., Any],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("AUTH-1: an attempt", {"a.txt": "a\n"})
    repo.commit("AUTH1: ship the login", {"src/login.py": "x\n"})
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "verify", "AUTH", "AUTH1",
                                    "--explain", "--json"])
    assert code == 0
    assert json.loads(out)["near_misses"] == []
