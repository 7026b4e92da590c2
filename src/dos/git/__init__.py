"""Every git call dos makes goes through :func:`run_git`.

The user's git configuration must not change an answer, so each call pins the
options that alter output (decoration, abbreviation, colour, signatures, pagers,
locale) and never reads a pager or a prompt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from dos.errors import GitError

__all__ = ["GIT_PINNED_CONFIG", "git_env", "run_git"]

# -c options that override anything in the user's, system or repo config.
GIT_PINNED_CONFIG = (
    "-c", "core.quotepath=false", "-c", "log.decorate=false", "-c", "log.showSignature=false",
    "-c", "color.ui=false", "-c", "core.pager=cat", "-c", "diff.noprefix=false",
    "-c", "diff.renames=true", "-c", "log.follow=false", "-c", "i18n.logOutputEncoding=UTF-8",
    "-c", "core.abbrev=12", "-c", "log.abbrevCommit=false", "-c", "format.pretty=medium",
    "-c", "diff.external=", "-c", "log.mailmap=false",
)


def git_env() -> dict[str, str]:
    """The environment git runs in: C locale, no prompts, no pager, no optional locks."""
    env = dict(os.environ)
    env.update({
        "LC_ALL": "C", "LANG": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat", "PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0",
    })
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_NAMESPACE"):
        env.pop(name, None)
    return env


def run_git(
    args: Sequence[str], cwd: Path | str, *, check: bool = True, input_text: str | None = None,
    timeout: float = 120.0,
) -> subprocess.CompletedProcess[str]:
    """Run ``git <args>`` in ``cwd`` with pinned configuration; raise GitError on failure."""
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed or not on PATH",
                       hint="install git (https://git-scm.com) and make sure `git` runs")
    if not Path(cwd).is_dir():
        raise GitError(f"{cwd} is not a directory", hint="pass --workspace with a git repository")
    try:
        done = subprocess.run(
            [executable, *GIT_PINNED_CONFIG, *args], cwd=cwd, env=git_env(), input=input_text,
            capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {' '.join(args[:2])} took longer than {timeout:.0f}s",
                       hint="check the repository is not on a hung file system") from exc
    if check and done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise GitError(f"git {' '.join(args[:2])} failed in {cwd}: {detail[0]}",
                       hint="run the same git command by hand to see what is wrong")
    return done
