"""What commits changed, with line counts: one ``git log --numstat`` pass over a range."""

from __future__ import annotations

from pathlib import Path

from dos.errors import GitError
from dos.git import run_git
from dos.truth.commits import Commit, CommitDiff, FileChange

__all__ = ["diffs"]


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _changes(rest: str) -> tuple[FileChange, ...]:
    found = []
    for entry in rest.lstrip("\n").split("\0"):
        parts = entry.split("\t", 2)
        if len(parts) == 3 and parts[2]:
            found.append(FileChange(parts[2], _count(parts[0]), _count(parts[1])))
    return tuple(found)


def diffs(root: Path, revision: str, *, single: bool) -> list[CommitDiff]:
    """Each commit of ``revision`` (one commit when ``single``, else a range such as
    ``main..HEAD``), newest first, with every file it changed against its first parent.
    No cap: the whole range is read in one pass."""
    if revision.startswith("-"):
        raise GitError(f"'{revision}' is not a ref or range", hint="pass e.g. HEAD or main..HEAD")
    what = "commit" if single else "range"
    args = ["-c", "log.showRoot=true", "log", "-z", "--numstat", "--no-renames", "--no-relative",
            "--no-ext-diff", "--no-notes", "--diff-merges=first-parent",
            "--format=%x1e%H%x1f%P%x1f%s", *(["--no-walk"] if single else []),
            "--end-of-options", revision, "--"]
    done = run_git(args, root, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["unknown error"])[0]
        raise GitError(f"cannot read {what} '{revision}' in {root}: {detail}",
                       hint="check it with `git log " + revision + "`; a range looks like "
                            "main..HEAD")
    found = []
    for record in done.stdout.split("\x1e"):
        header, _, rest = record.partition("\0")
        if not header.strip():
            continue
        sha, parents, subject = [*header.split("\x1f", 2), "", ""][:3]
        found.append(CommitDiff(Commit(sha, tuple(parents.split()), subject), _changes(rest)))
    return found
