"""Commits checked out where nothing of the user's repository is touched: a repository of
its own in a temporary directory that borrows the user's objects (an alternate: read, never
written) and has no refs, config or remote of theirs, so whatever a command run there does
— commit, branch, tag, stash, set config, push — stays there, and it is removed afterwards.
(A linked worktree would share the repository's refs and config: a test that made a branch
would leave it behind.)"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath

from dos.errors import UsageError
from dos.git import run_git

__all__ = ["resolve_commit", "scratch_checkout", "take_paths", "toplevel"]


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
def scratch_checkout(root: Path | str, sha: str) -> Iterator[Path]:
    """``sha`` checked out, detached, in a fresh temporary repository that borrows the
    objects of ``root``'s repository."""
    found = run_git(["rev-parse", "--git-common-dir"], root).stdout.strip()
    common = (Path(root) / found).resolve()  # relative to root unless already absolute
    scratch = Path(tempfile.mkdtemp(prefix="dos-witness-"))
    tree = scratch / "tree"
    try:
        run_git(["init", "--quiet", str(tree)], scratch)
        info = tree / ".git" / "objects" / "info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "alternates").write_text(f"{common / 'objects'}\n", encoding="utf-8")
        if (common / "shallow").is_file():  # a shallow history stays readable
            shutil.copyfile(common / "shallow", tree / ".git" / "shallow")
        run_git(["checkout", "--quiet", "--detach", sha], tree)
        yield tree
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

def take_paths(tree: Path, sha: str, paths: Sequence[str], flag: str) -> None:
    """``paths`` (relative to ``tree``, inside it) written into ``tree`` as they are at
    ``sha``: only a scratch worktree is ever touched."""
    specs = []
    for path in paths:
        norm = posixpath.normpath(path.replace("\\", "/")) if path.strip() else ""
        if norm in ("", ".", "..") or norm.startswith(("../", "/")) or \
                PureWindowsPath(path).is_absolute():
            raise UsageError(f"{flag} {path!r} is not a path inside the workspace",
                             hint=f"pass {flag} as a test file or directory relative to the "
                             "workspace, e.g. tests/test_login.py")
        specs.append(f":(literal){norm}")
    done = run_git(["checkout", sha, "--", *specs], tree, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise UsageError(f"{flag}: cannot take {', '.join(paths)} from {sha[:12]} ({detail})",
                         hint=f"pass {flag} as paths the candidate commit has")
