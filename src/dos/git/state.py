"""What state a workspace's repository is in, for ``dos doctor``: never raises for a
repository that git cannot read; that is the answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dos.errors import GitError
from dos.git import run_git

__all__ = ["repository_state"]


def _absent(root: Path, detail: str, *, available: bool) -> dict[str, Any]:
    # a .git that git refuses to read is a broken repository, not "no repository"
    broken = available and (root / ".git").exists()
    return {"available": available, "is_repo": False, "broken": broken, "detail": detail,
            "toplevel": None, "head": None, "branch": None, "dirty": False, "shallow": False}


def repository_state(root: Path) -> dict[str, Any]:
    """git's view of ``root``: available, is_repo, broken, toplevel, head, branch, dirty,
    shallow and a detail line when something is wrong."""
    try:
        top = run_git(["rev-parse", "--show-toplevel"], root, check=False)
    except GitError as error:
        return _absent(root, error.message, available=False)
    if top.returncode != 0:
        detail = (top.stderr.strip().splitlines() or ["not a git repository"])[-1]
        return _absent(root, detail, available=True)
    named = run_git(["rev-parse", "--verify", "-q", "HEAD"], root, check=False)
    commit = run_git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False)
    broken = named.returncode == 0 and commit.returncode != 0  # a ref to a missing commit
    branch = run_git(["symbolic-ref", "-q", "--short", "HEAD"], root, check=False)
    dirty = run_git(["status", "--porcelain", "--untracked-files=no"], root, check=False)
    shallow = run_git(["rev-parse", "--is-shallow-repository"], root, check=False)
    detail = ""
    if broken:
        detail = f"HEAD names {named.stdout.strip()[:12]}, which is not a commit here"
    elif dirty.returncode != 0:
        detail = (dirty.stderr.strip().splitlines() or ["git status failed"])[-1]
    return {
        "available": True, "is_repo": True, "broken": bool(detail), "detail": detail,
        "toplevel": top.stdout.strip(), "head": commit.stdout.strip() or None,
        "branch": branch.stdout.strip() or None, "dirty": bool(dirty.stdout.strip()),
        "shallow": shallow.stdout.strip() == "true",
    }
