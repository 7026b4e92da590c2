"""A shallow clone is never read as "not shipped": what its history cannot show is exit 2."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GIT_ENV
from tests._support.truth import run_cli


def _clone(source: Path, target: Path, *, depth: int | None) -> Path:
    shallow = ["--depth", str(depth)] if depth else []
    subprocess.run(["git", "clone", "-q", *shallow, f"file://{source}", str(target)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    return target


@pytest.fixture
def origin(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("origin")
    repo.commit("AUTH1: ship the login endpoint", {"src/login.py": "x = 1\n"})
    for index in range(3):
        repo.commit(f"tidy step {index}", {f"src/tidy{index}.py": "y\n"})
    repo.commit("AUTH2: ship the logout endpoint", {"src/logout.py": "z = 1\n"})
    return Path(repo.path)


def _verify(capsys: pytest.CaptureFixture[str], repo: Path,
            *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, ["--workspace", str(repo), "verify", *args])


def test_a_phase_older_than_the_shallow_boundary_is_exit_2_naming_unshallow(
        origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = _clone(origin, tmp_path / "shallow", depth=1)
    code, out, err = _verify(capsys, clone, "AUTH", "AUTH1")
    assert code == 2
    assert out == ""
    assert "shallow clone" in err
    assert "git fetch --unshallow" in err


def test_the_full_history_ships_the_same_phase(origin: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    clone = _clone(origin, tmp_path / "full", depth=None)
    code, out, err = _verify(capsys, clone, "AUTH", "AUTH1", "--json")
    assert code == 0
    assert json.loads(out)["shipped"] is True
    assert "shallow" not in json.loads(out)
    assert "shallow" not in err


def test_a_phase_found_in_a_shallow_clone_is_marked_shallow(
        origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = _clone(origin, tmp_path / "shallow", depth=1)
    code, out, err = _verify(capsys, clone, "AUTH", "AUTH2", "--json")
    assert code == 0
    payload = json.loads(out)
    assert (payload["shipped"], payload["shallow"]) == (True, True)
    assert "git fetch --unshallow" in err  # a note, the verdict stands


def test_a_phase_never_shipped_in_a_full_clone_is_still_exit_1(
        origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = _clone(origin, tmp_path / "full", depth=None)
    code, _, _ = _verify(capsys, clone, "AUTH", "AUTH9")
    assert code == 1


def test_doctor_reports_the_shallow_clone(origin: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    clone = _clone(origin, tmp_path / "shallow", depth=1)
    code, out, _ = run_cli(capsys, ["--workspace", str(clone), "doctor", "--json"])
    assert code == 1
    report = json.loads(out)
    assert report["git"]["shallow"] is True
    assert any(problem["check"] == "git" and "unshallow" in problem["fix"]
               for problem in report["problems"])
