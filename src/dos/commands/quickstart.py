"""dos quickstart: dos refereeing two agents in a throw-away repository, in seconds."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dos.errors import UsageError
from dos.git import run_git
from dos.render import emit_json

_IDENTITY = ("-c", "user.name=Quickstart Agent", "-c", "user.email=agent@example.invalid",
             "-c", "commit.gpgsign=false")


@dataclass(frozen=True)
class Step:
    """One real dos command the tour runs, what it shows, and the exit it should give."""

    title: str
    argv: tuple[str, ...]
    expect: int


STEPS = (
    Step("Agent A says it shipped AUTH1 and committed it. git agrees:",
         ("verify", "AUTH", "AUTH1"), 0),
    Step("Agent B says it shipped AUTH2 but committed nothing. git disagrees:",
         ("verify", "AUTH", "AUTH2"), 1),
    Step("Agent A takes the 'src' lane before editing:",
         ("lease-lane", "acquire", "--lane", "src", "--owner", "agent-A"), 0),
    Step("Agent B asks for the same lane and is refused, with a reason:",
         ("lease-lane", "acquire", "--lane", "src", "--owner", "agent-B"), 1),
    Step("Agent B asks for any free lane instead and gets a disjoint one:",
         ("lease-lane", "acquire", "--owner", "agent-B"), 0),
    Step("Agent B tries to write into agent A's lane; the scope gate refuses the write:",
         ("scope-gate", "--lane", "docs", "--file", "src/login.py"), 6),
    Step("Every decision is in a hash-chained journal; tampering would show here:",
         ("journal", "verify"), 0),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", metavar="DIR",
                        help="build the demo repository in DIR (new or empty; an existing "
                        "non-empty directory is refused, exit 2) and keep it afterwards")


def _scaffold(repo: Path) -> None:
    (repo / "src").mkdir(parents=True, exist_ok=True)
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "src" / "login.py").write_text("def login():\n    return True\n", encoding="utf-8")
    (repo / "docs" / "auth.md").write_text("# Auth plan\n", encoding="utf-8")
    run_git(["init", "-q", "-b", "main"], repo)
    run_git([*_IDENTITY, "add", "-A"], repo)
    run_git([*_IDENTITY, "commit", "-q", "-m", "scaffold the repository"], repo)
    from dos.commands import init

    with contextlib.redirect_stdout(io.StringIO()):
        init.run(directory=str(repo), force=False, example=None, workspace=None, output="text")
    (repo / "src" / "login.py").write_text("def login(user):\n    return bool(user)\n",
                                           encoding="utf-8")
    run_git([*_IDENTITY, "add", "-A"], repo)
    run_git([*_IDENTITY, "commit", "-q", "-m", "AUTH1: ship the login endpoint"], repo)


def _run_step(step: Step, repo: Path, *, quiet: bool) -> tuple[int, str]:
    from dos.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--workspace", str(repo), *step.argv])
    text = (out.getvalue() + err.getvalue()).rstrip()
    if not quiet:
        print(f"\n{step.title}\n$ dos {' '.join(step.argv)}")
        if text:
            print(text)
        print(f"[exit {code}]")
    return code, text


def _keep_dir(keep: str) -> Path:
    """DIR for --keep: new or empty, so the demo never commits or overwrites a user's files."""
    repo = Path(keep).expanduser().resolve()
    if repo.exists() and not repo.is_dir():
        raise UsageError(f"--keep {keep}: {repo} is a file",
                         hint="name a new or empty directory for the demo repository")
    if repo.is_dir() and any(repo.iterdir()):
        raise UsageError(f"--keep {keep}: {repo} is not empty; the demo would commit and "
                         "overwrite what is there",
                         hint="name a new or empty directory, e.g. --keep ./dos-demo")
    return repo


def run(*, keep: str | None, output: str, **_: object) -> int:
    quiet = output == "json"
    repo = _keep_dir(keep) if keep else Path(tempfile.mkdtemp(prefix="dos-quickstart-"))
    try:
        _scaffold(repo)
        if not quiet:
            print(f"dos quickstart — a throw-away repository at {repo}\n"
                  "Agents narrate; dos answers from git, the lease store and the clock. "
                  "The exit code is the verdict.")
        results = []
        for step in STEPS:
            code, text = _run_step(step, repo, quiet=quiet)
            results.append({"command": f"dos {' '.join(step.argv)}", "exit": code,
                            "expected_exit": step.expect, "output": text})
    finally:
        if not keep:
            shutil.rmtree(repo, ignore_errors=True)
    failed = [r for r in results if r["exit"] != r["expected_exit"]]
    if quiet:
        emit_json({"repository": str(repo), "kept": bool(keep), "steps": results,
                   "ok": not failed})
    elif failed:
        print(f"\nquickstart: {len(failed)} step(s) did not give the expected exit code")
    else:
        print("\nThat is dos. Next: `dos init` in your repository, then `dos doctor`."
              + (f"\nThe demo repository is kept at {repo}." if keep else ""))
    return 1 if failed else 0
