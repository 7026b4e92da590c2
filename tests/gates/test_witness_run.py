"""dos test-witness --run: dos checks each ref out into a temporary repository and runs the
test there, in a real git repository with real pytest tests: a new failing-then-passing
test witnesses the change, one that passes or fails on both sides does not — and the
user's working tree (status, HEAD, refs, worktrees, every file, even uncommitted ones)
is the same afterwards, whatever the command did."""

from __future__ import annotations

import hashlib
import shlex
import sys
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests.gates.conftest import Dos

TEST_TEMPLATE = """\
import sys
sys.path.insert(0, "src")
from calc import {name}


def test_{name}():
    assert {name}({a}, {b}) == {want}
"""
TEST_FILE = TEST_TEMPLATE.format(name="add", a=2, b=2, want=4)
NEW_TEST = TEST_TEMPLATE.format(name="mul", a=3, b=4, want=12)


def _pytest(path: str) -> str:
    return shlex.join([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path])


PYTEST = _pytest("tests/test_calc.py")
NEW_PYTEST = _pytest("tests/test_mul.py")


def _python(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def _snapshot(repo: GitRepo) -> dict[str, Any]:
    """Everything of the user's checkout a run could disturb."""
    files = {str(path.relative_to(repo.path)): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(repo.path.rglob("*"))
             if path.is_file() and ".git" not in path.relative_to(repo.path).parts}
    admin = repo.path / ".git" / "worktrees"
    return {"status": repo.git("status", "--porcelain=v1", "--ignored", "-uall"),
            "head": repo.git("rev-parse", "HEAD"), "branch": repo.git("symbolic-ref", "HEAD"),
            "refs": repo.git("for-each-ref"), "stash": repo.git("stash", "list"),
            "worktrees": repo.git("worktree", "list", "--porcelain"),
            "admin": sorted(p.name for p in admin.iterdir()) if admin.exists() else [],
            "index": hashlib.sha256((repo.path / ".git" / "index").read_bytes()).hexdigest(),
            "files": files}


@pytest.fixture
def untouched(repo: GitRepo) -> Any:
    """The user has uncommitted work; after the test it is exactly as it was."""
    repo.write("src/calc.py", "def add(a, b):\n    return a + b  # being edited\n")
    repo.write("notes.txt", "untracked work in progress\n")
    before = _snapshot(repo)
    yield
    assert _snapshot(repo) == before


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
    # no worktree was added and the user's tree is untouched
    assert repo.git("worktree", "list").count("\n") == 0
    assert repo.git("status", "--porcelain") == ""


@pytest.fixture
def change(git_repo: Callable[..., GitRepo]) -> GitRepo:
    """base: mul() is wrong and untested; the change fixes it and adds its test."""
    made = git_repo()
    made.commit("base", {"src/calc.py": "def mul(a, b):\n    return a + b\n"})
    made.commit("fix mul, with a test", {"src/calc.py": "def mul(a, b):\n    return a * b\n",
                                         "tests/test_mul.py": NEW_TEST})
    return made


def test_a_new_failing_then_passing_test_witnesses_the_change(dos: Dos, change: GitRepo
                                                               ) -> None:
    change.write("scratch.txt", "the user's own work\n")
    before = _snapshot(change)
    argv = ("--workspace", str(change.path), "test-witness", "--run", NEW_PYTEST,
            "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    plain = dos(*argv)  # the baseline has no such test: pytest cannot even collect it
    assert (plain.code, plain.json["evidence"]["baseline"]) == (6, "ERRORED")
    carried = dos(*argv, "--new-test", "tests/test_mul.py")
    payload = carried.json
    assert (carried.code, payload["verdict"], payload["witnesses"]) == (0, "DISCRIMINATES",
                                                                         True)
    assert payload["assert_level"] is True  # the new test ran against the old mul and failed
    baseline, candidate = payload["evidence"]["runs"]
    assert (baseline["outcome"], candidate["outcome"]) == ("FAILED", "PASSED")
    assert "assert 7 == 12" in baseline["output_tail"]
    assert _snapshot(change) == before


def test_a_test_green_on_both_sides_does_not_witness(dos: Dos, change: GitRepo) -> None:
    change.commit("an unrelated test", {"tests/test_true.py": "def test_true():\n"
                                        "    assert True\n"})
    change.commit("an unrelated change", {"README.md": "calc\n"})
    before = _snapshot(change)
    ran = dos("--workspace", str(change.path), "test-witness", "--run",
              _pytest("tests/test_true.py"),
              "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    assert (ran.code, ran.json["verdict"], ran.json["witnesses"]) == (3, "VACUOUS", False)
    assert _snapshot(change) == before


def test_a_test_red_on_both_sides_does_not_witness(dos: Dos, git_repo: Callable[..., GitRepo]
                                                   ) -> None:
    repo = git_repo()
    repo.commit("base", {"src/calc.py": "def mul(a, b):\n    return a + b\n",
                         "tests/test_mul.py": NEW_TEST})
    repo.commit("a change that does not fix mul", {"src/calc.py": "def mul(a, b):\n"
                                                   "    return a - b\n"})
    before = _snapshot(repo)
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", NEW_PYTEST,
              "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    assert (ran.code, ran.json["verdict"], ran.json["witnesses"]) == (4, "UNSATISFIED", False)
    assert [run["outcome"] for run in ran.json["evidence"]["runs"]] == ["FAILED", "FAILED"]
    assert _snapshot(repo) == before


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
    command = _pytest("tests/test_new.py")
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


@pytest.mark.usefixtures("untouched")
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


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize("command", [
    ["no-such-program-xyz"],  # cannot start
    [sys.executable, "-c", "import sys; sys.exit(3)"],  # fails
    [sys.executable, "-c", "import pathlib; pathlib.Path('src/calc.py').write_text('x');"
     "pathlib.Path('made.txt').write_text('y'); import subprocess; subprocess.run(['git', "
     "'commit', '-qam', 'sneaky'], check=False); subprocess.run(['git', 'branch', 'b'], "
     "check=False)"],  # writes, commits and branches in its checkout
])
def test_whatever_the_command_does_the_working_tree_is_untouched(
        dos: Dos, repo: GitRepo, command: list[str]) -> None:
    ran = dos("--workspace", str(repo.path), "test-witness", "--run", shlex.join(command),
              "--baseline", "HEAD~1", "--candidate", "HEAD", "--json")
    assert ran.code in (3, 4, 6), ran.err  # the same on both sides: no witness
    assert ran.json["witnesses"] is False


@pytest.mark.parametrize(("argv", "needle"), [
    (["--run", "pytest", "--candidate", "HEAD"], "--baseline"),
    (["--run", "pytest", "--baseline", "nosuchref", "--candidate", "HEAD"], "names no commit"),
    (["--run", "pytest", "--baseline=-x", "--candidate", "HEAD"], "not a git ref"),
    (["--run", "'unclosed", "--baseline", "HEAD", "--candidate", "HEAD"], "unclosed quote"),
    (["--run", "pytest", "--forgeable", "--baseline", "HEAD", "--candidate", "HEAD"],
     "--forgeable"),
    (["--baseline", "maybe"], "not an outcome"),
    (["--repeat", "0"], "--repeat"),
    (["--new-test", "tests/x.py"], "--new-test needs --run"),
    (["--run", "pytest", "--baseline", "HEAD~1", "--candidate", "HEAD", "--new-test",
      "../outside.py"], "not a path inside"),
    (["--run", "pytest", "--baseline", "HEAD~1", "--candidate", "HEAD", "--new-test",
      "tests/nope.py"], "cannot take"),
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
