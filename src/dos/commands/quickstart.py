"""dos quickstart: dos refereeing two agents in a throw-away repository, in seconds."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dos.config import user_path
from dos.errors import UsageError
from dos.git import run_git
from dos.render import emit, plain_text, with_schema
from dos.structs import struct

_IDENTITY = ("-c", "user.name=Quickstart Agent", "-c", "user.email=agent@example.invalid",
             "-c", "commit.gpgsign=false")


@struct
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
    parser.epilog = ("The demo builds its own repository (a temporary one unless --keep), "
                     "so --workspace and --driver do not apply.\n"
                     "exit codes: 0 every step gave the exit code it should, 1 one did not")


def _scaffold(repo: Path) -> None:
    from dos.api.workspace import init_config

    (repo / "src").mkdir(parents=True, exist_ok=True)
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "src" / "login.py").write_text("def login():\n    return True\n", encoding="utf-8")
    (repo / "docs" / "auth.md").write_text("# Auth plan\n", encoding="utf-8")
    run_git(["init", "-q", "-b", "main"], repo)
    run_git([*_IDENTITY, "add", "-A"], repo)
    run_git([*_IDENTITY, "commit", "-q", "-m", "scaffold the repository"], repo)
    init_config(repo)
    (repo / "src" / "login.py").write_text("def login(user):\n    return bool(user)\n",
                                           encoding="utf-8")
    run_git([*_IDENTITY, "add", "-A"], repo)
    run_git([*_IDENTITY, "commit", "-q", "-m", "AUTH1: ship the login endpoint"], repo)


def _say(output: str) -> Callable[[str], None]:
    """Print a line of the tour in text or plain form; the json form prints only the end."""
    def say(line: str) -> None:
        if output != "json":
            print(plain_text(line) if output == "plain" else line, flush=True)
    return say


def _run_step(step: Step, repo: Path, output: str, say: Callable[[str], None]
              ) -> dict[str, Any]:
    """Run one step in the tour's own output form; json keeps the step's JSON answer."""
    from dos.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--workspace", str(repo), "--output", output, *step.argv])
    text = (out.getvalue() + err.getvalue()).rstrip()
    say(f"\n{step.title}\n$ dos {' '.join(step.argv)}")
    if text:
        say(text)
    say(f"[exit {code}]")
    return {"command": f"dos {' '.join(step.argv)}", "exit": code,
            "expected_exit": step.expect, "output": out.getvalue().rstrip("\n"),
            "stderr": err.getvalue().rstrip("\n")}


def _keep_dir(keep: str) -> Path:
    """DIR for --keep: new or empty, so the demo never commits or overwrites a user's files."""
    repo = user_path(keep).resolve()
    if repo.exists() and not repo.is_dir():
        raise UsageError(f"--keep {keep}: {repo} is a file",
                         hint="name a new or empty directory for the demo repository")
    if repo.is_dir() and any(repo.iterdir()):
        raise UsageError(f"--keep {keep}: {repo} is not empty; the demo would commit and "
                         "overwrite what is there",
                         hint="name a new or empty directory, e.g. --keep ./dos-demo")
    return repo


def run(*, keep: str | None, workspace: str | None, driver: str | None, output: str) -> int:
    if workspace or driver:
        raise UsageError("quickstart builds its own repository; --workspace and --driver "
                         "do not apply", hint="use --keep DIR to choose where it is built")
    say = _say(output)
    repo = _keep_dir(keep) if keep else Path(tempfile.mkdtemp(prefix="dos-quickstart-"))
    try:
        _scaffold(repo)
        say(f"dos quickstart — a throw-away repository at {repo}\n"
            "Agents narrate; dos answers from git, the lease store and the clock. "
            "The exit code is the verdict.")
        results = [_run_step(step, repo, output, say) for step in STEPS]
    finally:
        if not keep:
            shutil.rmtree(repo, ignore_errors=True)
    failed = [r for r in results if r["exit"] != r["expected_exit"]]
    payload = with_schema({"repository": str(repo), "kept": bool(keep), "steps": results,
                           "ok": not failed}, "quickstart")
    emit(payload, output=output, text=lambda _c: _closing(repo, keep=bool(keep),
                                                           failed=len(failed)))
    return 1 if failed else 0


def _closing(repo: Path, *, keep: bool, failed: int) -> str:
    if failed:
        return f"\nquickstart: {failed} step(s) did not give the expected exit code"
    return ("\nThat is dos. Next: `dos init` in your repository, then `dos doctor`."
            + (f"\nThe demo repository is kept at {repo}." if keep else ""))
