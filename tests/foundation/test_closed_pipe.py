"""A closed pipe never changes a verdict: `dos … | true` under pipefail exits 141 (as a
shell reports SIGPIPE), never 0, and prints no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos.commands import VERBS
from dos.errors import EXIT_CLOSED_PIPE

LANES = '[lanes]\nconcurrent = ["src"]\n[lanes.trees]\nsrc = ["src/**"]\n'
VERDICT_CALLS = [
    ["verify", "AUTH", "AUTH9"], ["verify", "AUTH", "AUTH1"], ["exit-codes"], ["lint"],
    ["arbitrate", "--lane", "src"], ["lease-lane", "live"], ["man", "wedge"],
    ["journal", "tail"], ["plan", "--once"], ["commit-audit"], ["run-id", "mint", "w"],
    ["verify", "AUTH", "AUTH9", "--json"], ["decisions", "--all"], ["top"], ["top", "--json"],
    ["projects"], ["reindex"], ["learn", "lane-refusals"],
]


def _into_closed_pipe(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before dos writes a byte
    try:
        return subprocess.run([sys.executable, "-m", "dos", *args], cwd=cwd, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, check=False, timeout=60)
    finally:
        os.close(write_end)


@pytest.fixture
def workspace(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo()
    repo.commit("AUTH1: ship login", {"dos.toml": LANES, "src/a.py": "x\n"})
    return Path(repo.path)


@pytest.mark.parametrize("args", VERDICT_CALLS, ids=" ".join)
def test_a_verdict_into_a_closed_pipe_is_141(workspace: Path, args: list[str]) -> None:
    done = _into_closed_pipe(args, workspace)
    assert done.returncode == EXIT_CLOSED_PIPE, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_verbs_help_into_a_closed_pipe_is_141(workspace: Path, verb: str) -> None:
    done = _into_closed_pipe([verb, "--help"], workspace)
    assert done.returncode == EXIT_CLOSED_PIPE, done.stderr
    assert "Traceback" not in done.stderr


def test_exit_codes_lists_the_reserved_codes(workspace: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dos", "exit-codes", "--json"], cwd=workspace,
                          capture_output=True, text=True, check=True)
    import json

    assert json.loads(done.stdout)["reserved"]["closed_pipe"] == EXIT_CLOSED_PIPE
