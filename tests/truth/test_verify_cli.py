"""`dos verify` surfaces: text, JSON, --explain, plain, colour, a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos import config as dos_config
from dos.truth.oracle import PhaseQuery, verify, verify_many


def _repo(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("init", {"README.md": "r\n"})
    repo.sha1 = repo.commit("AUTH1: ship login", {"src/login.py": "l\n"})
    return repo


def test_json_is_one_sorted_line_with_grade(git_repo: Callable[..., Any],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "verify", "AUTH", "AUTH1",
                                    "--json"])
    assert code == 0
    assert out.count("\n") == 1
    payload = json.loads(out)
    assert list(payload) == sorted(payload)
    assert payload == {"grade": "subject", "phase": "AUTH1", "plan": "AUTH", "rung": "direct",
                       "sha": repo.sha1[:12], "shipped": True, "source": "grep-subject",
                       "summary": f"{repo.sha1[:12]} AUTH1: ship login",
                       "schema": {"family": "verify", "version": 1}}


def test_explain_is_grade_aware(git_repo: Callable[..., Any],
                                capsys: pytest.CaptureFixture[str]) -> None:
    """W11: the reference called a forgeable subject 'real, not self-reported'."""
    repo = _repo(git_repo)
    ws = ["--workspace", str(repo.path), "verify"]
    _, out, _ = run_cli(capsys, [*ws, "AUTH", "AUTH1", "--explain"])
    first, second = out.splitlines()
    assert first == f"SHIPPED AUTH AUTH1 {repo.sha1[:12]} (via grep-subject)"
    assert "only evidence is a commit subject" in second
    _, out, _ = run_cli(capsys, [*ws, "AUTH", "AUTH2", "--explain", "--json"])
    assert json.loads(out)["interpretation"].startswith("NOT shipped — and there is NO")


def test_plain_output_is_the_text_without_colour(git_repo: Callable[..., Any],
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    monkeypatch.setenv("DOS_COLOR", "always")
    ws = ["--workspace", str(repo.path), "verify", "--output", "plain"]
    _, out, _ = run_cli(capsys, [*ws, "AUTH", "AUTH1"])
    assert out == f"SHIPPED AUTH AUTH1 {repo.sha1[:12]} (via grep-subject)\n"
    code, out, _ = run_cli(capsys, [*ws, "AUTH", "AUTH11"])
    assert code == 1
    assert out == "NOT_SHIPPED AUTH AUTH11 (via none)\n"


def test_colour_wraps_only_the_tokens(git_repo: Callable[..., Any],
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    monkeypatch.setenv("DOS_COLOR", "always")
    _, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "verify", "AUTH", "AUTH99"])
    assert out.rstrip("\n") == ("\x1b[1m\x1b[31mNOT_SHIPPED\x1b[0m AUTH AUTH99 "
                                "\x1b[31m\x1b[1m(via none)\x1b[0m")


def test_one_history_pass_per_verify(git_repo: Callable[..., Any], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    trace = tmp_path / "trace.log"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    run_cli(capsys, ["--workspace", str(repo.path), "verify", "AUTH", "AUTH1"])
    runs = [line for line in trace.read_text().splitlines() if "built-in: git" in line]
    assert len([line for line in runs if " log " in line]) == 1
    # read history, read the hit's files; HEAD comes from .git's files (dos.git.head_file)
    assert len(runs) == 2


def test_verify_many_agrees_with_verify(git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    repo.commit("AUTH: AUTH2, AUTH3 both", {"src/x.py": "x\n"})
    repo.commit("AUTH4: nothing", allow_empty=True)
    config = dos_config.load_workspace_config(repo.path)
    queries = [PhaseQuery("AUTH", f"AUTH{n}") for n in range(1, 6)]
    together = verify_many(queries, config)
    alone = [verify(q.plan, q.phase, config) for q in queries]
    assert together == alone
    assert [v.shipped for v in together] == [True, True, True, False, False]


def test_end_to_end_subprocess(git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOS_")}
    done = subprocess.run([sys.executable, "-m", "dos", "verify", "AUTH", "AUTH1"],
                          cwd=repo.path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"SHIPPED AUTH AUTH1 {repo.sha1[:12]} (via grep-subject)\n"
    done = subprocess.run([sys.executable, "-m", "dos", "verify", "AUTH", "AUTH2"],
                          cwd=repo.path, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (1, "NOT_SHIPPED AUTH AUTH2 (via none)\n")


def test_help_teaches(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, ["verify", "--help"])
    assert code == 0
    assert "--min-grade" in out
    assert "registry-verified" in out
    assert "exit codes: 0 shipped, 1 not shipped" in out
