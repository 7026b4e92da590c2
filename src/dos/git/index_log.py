"""The reads the stamp index needs: whole or symmetric-difference logs with commit times,
the parent graph of a ref, where the objects live, and the commit-graph file."""

from __future__ import annotations

import os
from pathlib import Path

from dos.git import run_git
from dos.truth.commits import Commit

__all__ = ["ensure_commit_graph", "graph_of", "log_records", "object_dir",
           "write_commit_graph"]

_FIELD = "\x1f"
_FORMAT = "--format=%m%x1f%H%x1f%P%x1f%ct%x1f%s%x1f%b"


def _parse(text: str) -> list[tuple[str, Commit]]:
    found = []
    for raw in text.split("\0"):
        record = raw.lstrip("\n")
        if not record:
            continue
        side, sha, parents, stamp, subject, body = [*record.split(_FIELD, 5), "", "", "", ""][:6]
        when = int(stamp) if stamp.strip().isdigit() else 0
        found.append((side, Commit(sha, tuple(parents.split()), subject, body.strip(), when)))
    return found


def log_records(root: Path, tip: str, since: str | None = None) -> list[tuple[str, Commit]]:
    """``(side, commit)`` newest first in topological order: the whole ancestry of ``tip``
    (side ``>``), or with ``since`` the symmetric difference ``since...tip`` where side
    ``<`` marks commits only ``since`` reaches. A :class:`GitError` if either is gone."""
    options, revision = (["--left-right"], f"{since}...{tip}") if since else ([], tip)
    done = run_git(["log", "-z", "--topo-order", "--no-notes", _FORMAT, *options,
                    "--end-of-options", revision, "--"], root)
    return [(">" if side not in "<>" or not since else side, commit)
            for side, commit in _parse(done.stdout)]


def graph_of(root: Path, tip: str) -> list[tuple[str, tuple[str, ...]]]:
    """``(sha, parents)`` of every commit in the ancestry of ``tip``, parents first."""
    done = run_git(["rev-list", "--topo-order", "--reverse", "--parents", "--end-of-options",
                    tip, "--"], root)
    return [(words[0], tuple(words[1:])) for words in
            (line.split() for line in done.stdout.splitlines()) if words]


def object_dir(root: Path) -> str:
    """The real path of the repository's object store (shared by its worktrees)."""
    known = _object_dir_on_disk(Path(root))
    if known is not None:
        return known
    done = run_git(["rev-parse", "--git-common-dir"], root)
    return os.path.realpath(Path(root) / done.stdout.strip() / "objects")


# Any of these can move the repository or its objects away from what ``.git`` says.
_MOVERS = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_WORK_TREE")


def _object_dir_on_disk(root: Path) -> str | None:
    """The answer ``git rev-parse --git-common-dir`` gives, read from ``root/.git`` (a
    directory, or a worktree's or submodule's ``gitdir:`` file, and its ``commondir``)
    without starting git; ``None`` — ask git — whenever anything is unusual."""
    if any(name in os.environ for name in _MOVERS):
        return None
    dot = root / ".git"
    try:
        if dot.is_dir():
            git_dir = dot
        else:
            text = dot.read_text(encoding="utf-8")
            if not text.startswith("gitdir: ") or text.count("\n") > 1:
                return None
            git_dir = root / text[len("gitdir: "):].strip()
        common = git_dir / "commondir"
        if common.is_file():
            git_dir = git_dir / common.read_text(encoding="utf-8").strip()
        objects = git_dir / "objects"
        return os.path.realpath(objects) if objects.is_dir() else None
    except (OSError, UnicodeDecodeError):
        return None


def write_commit_graph(root: Path) -> bool:
    """Write the commit-graph with changed-path Bloom filters; False if git refused."""
    done = run_git(["commit-graph", "write", "--reachable", "--changed-paths"], root,
                   check=False, timeout=600.0)
    return done.returncode == 0


def ensure_commit_graph(root: Path) -> None:
    """Write the commit-graph (with changed-path filters) if the repository has none."""
    info = Path(object_dir(root)) / "info"
    if not ((info / "commit-graph").exists() or (info / "commit-graphs").exists()):
        write_commit_graph(root)
