"""dos test-witness --run: dos checks each ref out into a temporary worktree and runs the
test there, in a real git repository with a real failing-then-passing pytest test."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests.gates.conftest import Dos

TEST_FILE = """\
import sys
sys.path.insert(0, "src")
from calc import add


def test_add():
    assert add(2, 2) == 4
"""
PYTEST = shlex.join([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                     "tests/test_calc.py"])


def _python(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    """base: a wrong add() and its test; fix: the right add()."""
    made = git_repo()
    made.commit("base", {"src/calc.py": "def add(a, b):\n    return a - b\n",
                         "tests/test_calc.py": TEST_FILE})
    made.commit("fix", {"src/calc.py": "def add(a, b):\n    return a + b\n"})
    return made


def test_a_real_failing_then_passing_test_discriminates(dos: Dos, repo: GitRepo) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", PYTEST,
              "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    payload = ran.json
    assert (ran.code, payload["verdict"], payload["witnesses"]) == (0, "DISCRIMINATES", True)
    assert payload["rung"] == "ENVIRONMENT_WITNESSED"
    assert payload["assert_level"] is True
    baseline, candidate = payload["evidence"]["runs"]
    assert (baseline["outcome"], baseline["exit_code"]) == ("FAILED", 1)
    assert "assert" in baseline["output_tail"]  # pytest's own report of the failure
    assert (candidate["outcome"], candidate["exit_code"]) == ("PASSED", 0)
    assert baseline["sha"] == repo.git("rev-parse", "HEAD~1")
    assert payload["schema"] == {"family": "test-witness", "version": 1}
    # the worktrees are gone and the user's tree is untouched
    assert repo.git("worktree", "list").count("\n") == 0
    assert repo.git("status", "--porcelain") == ""


def test_swapped_refs_are_regressive_and_the_text_shows_each_run(dos: Dos, repo: GitRepo
                                                                 ) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", PYTEST,
              "--baseline", "HEAD", "--candidate", "HEAD~1")
    assert (ran.code, ran.word) == (5, "REGRESSIVE")
    lines = ran.out.splitlines()
    assert lines[1].split()[0] == "baseline"
    assert "PASSED" in lines[1]
    assert lines[2].split()[0] == "candidate"
    assert "FAILED" in lines[2]


def test_the_same_commit_twice_is_vacuous(dos: Dos, repo: GitRepo) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", PYTEST,
              "--baseline", "HEAD", "--candidate", "HEAD")
    assert (ran.code, ran.word) == (3, "VACUOUS")


def test_an_errored_baseline_is_structural_only(dos: Dos, git_repo: Callable[..., Any]
                                                ) -> None:
    repo = git_repo()
    repo.commit("base", {"tests/test_new.py": "from newmod import f\n\n"
                         "def test_f():\n    assert f() == 1\n"})
    repo.commit("add newmod", {"newmod.py": "def f():\n    return 1\n"})
    command = shlex.join([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/test_new.py"])
    argv = ("--workspace", str(repo.path), "test-witness", "--run", command,
            "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    ran = dos(*argv)  # pytest exits 2 on a collection error: ERRORED, not FAILED
    assert (ran.code, ran.json["evidence"]["baseline"]) == (6, "ERRORED")
    allowed = dos(*argv, "--allow-structural")
    assert (allowed.code, allowed.json["assert_level"]) == (0, False)


def test_a_flaky_command_abstains(dos: Dos, repo: GitRepo, tmp_path: Any) -> None:
    counter = tmp_path / "count"
    flaky = _python(f"import pathlib,sys; p=pathlib.Path({str(counter)!r}); "
                    "n=int(p.read_text()) if p.exists() else 0; p.write_text(str(n+1)); "
                    "sys.exit(n % 2)")
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", flaky,
              "--baseline", "HEAD~1", "--candidate", "HEAD", "--repeat", "2", "--json")
    assert (ran.code, ran.json["evidence"]["flaky"]) == (6, ["baseline", "candidate"])
    assert len(ran.json["evidence"]["runs"]) == 4


def test_a_run_past_its_time_limit_is_killed_and_errored(dos: Dos, repo: GitRepo) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", "--run",
              _python("import time; time.sleep(30)"), "--baseline", "HEAD~1",
              "--candidate", "HEAD", "--timeout", "0.5", "--json")
    runs = ran.json["evidence"]["runs"]
    assert (ran.code, ran.json["verdict"]) == (4, "UNSATISFIED")  # errored on both sides
    assert all(run["outcome"] == "ERRORED" and "timed out" in run["detail"] for run in runs)


def test_the_command_is_never_given_to_a_shell(dos: Dos, repo: GitRepo, tmp_path: Any
                                               ) -> None:
    marker = tmp_path / "pwned"
    ran = dos("--workspace", str(repo.path), "test-witness", "--run",
              f"true; touch {marker}", "--baseline", "HEAD~1", "--candidate", "HEAD")
    assert ran.code == 2
    assert "without a shell" in ran.err
    assert "fix:" in ran.err
    quoted = dos("--workspace", str(repo.path), "test-witness", "--run",
                 _python("import sys; sys.exit(0)") + f" '$(touch {marker})'",
                 "--baseline", "HEAD~1", "--candidate", "HEAD")
    assert quoted.code == 3  # green on both sides; "$(…)" reached python as a plain word
    assert not marker.exists()


@pytest.mark.parametrize(("argv", "needle"), [
    (["--run", "pytest", "--candidate", "HEAD"], "--baseline"),
    (["--run", "pytest", "--baseline", "nosuchref", "--candidate", "HEAD"], "names no commit"),
    (["--run", "pytest", "--baseline=-x", "--candidate", "HEAD"], "not a git ref"),
    (["--run", "'unclosed", "--baseline", "HEAD", "--candidate", "HEAD"], "unclosed quote"),
    (["--run", "pytest", "--forgeable", "--baseline", "HEAD", "--candidate", "HEAD"],
     "--forgeable"),
    (["--baseline", "maybe"], "not an outcome"),
    (["--repeat", "0"], "--repeat"),
    (["--timeout", "nan"], "--timeout"),
])
def test_bad_input_is_exit_2_with_a_fix(dos: Dos, repo: GitRepo, argv: list[str],
                                        needle: str) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", *argv)
    assert ran.code == 2, ran.err
    assert needle in ran.err, ran.err
    assert ran.err.startswith("dos: error:"), ran.err


@pytest.mark.parametrize(("baseline", "candidate", "token"), [
    ("pass", "pass", "VACUOUS"), ("pass", "fail", "REGRESSIVE"), ("PASSED", "error",
                                                                   "REGRESSIVE"),
    ("fail", "pass", "DISCRIMINATES"), ("error", "pass", "ABSTAIN"),
    ("fail", "error", "UNSATISFIED"), ("not-run", "pass", "ABSTAIN"),
])
def test_the_claimed_outcome_matrix(dos: Dos, baseline: str, candidate: str, token: str
                                    ) -> None:
    ran = dos("test-witness", "--baseline", baseline, "--candidate", candidate)
    assert ran.word == token
    assert "[CALLER_CLAIMED]" in ran.out


def test_a_missing_pair_of_runs_reads_as_english(dos: Dos) -> None:
    assert "the baseline and candidate runs are missing" in dos("test-witness").out
