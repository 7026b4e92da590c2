"""Commits checked out where nothing of the user's work tree is touched: a detached
worktree in a temporary directory, removed (and pruned) afterwards."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dos.errors import UsageError
from dos.git import run_git

__all__ = ["detached_worktree", "resolve_commit", "toplevel"]


def resolve_commit(root: Path | str, ref: str, flag: str) -> str:
    """The full sha ``ref`` names; a ref that names no commit is a usage error."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"{flag} {ref!r} is not a git ref", hint=f"pass {flag} as a branch, "
                         "tag or commit sha")
    done = run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root, check=False)
    if done.returncode != 0:
        raise UsageError(f"{flag} {ref!r} names no commit in {root}",
                         hint=f"pass {flag} as a branch, tag or sha of this repository")
    return done.stdout.strip()


def toplevel(root: Path | str) -> Path:
    return Path(run_git(["rev-parse", "--show-toplevel"], root).stdout.strip())


@contextmanager
def detached_worktree(root: Path | str, sha: str) -> Iterator[Path]:
    """``sha`` checked out in a fresh temporary worktree of ``root``'s repository."""
    scratch = Path(tempfile.mkdtemp(prefix="dos-witness-"))
    tree = scratch / "tree"
    try:
        run_git(["worktree", "add", "--detach", "--quiet", str(tree), sha], root)
        yield tree
    finally:
        run_git(["worktree", "remove", "--force", str(tree)], root, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
        run_git(["worktree", "prune"], root, check=False)
