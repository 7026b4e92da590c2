"""Commits attributed to a run: those on its ref since its start SHA.

A start SHA that does not name a commit, or is not an ancestor of the ref, is a
:class:`StartNotInHistoryError` — never "0 commits", which would read as a verdict; a caller
that knows the start was only recorded (not typed) may treat that one case as "no commit
evidence". A missing git, a broken repository or a ref (HEAD) that does not resolve is a
plain :class:`~dos.errors.GitError` that no caller reads as "no progress".
Merges count once (``--first-parent``): a merge brings in other people's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dos.errors import GitError
from dos.git import run_git
from dos.git.head_file import head_commit, head_sha
from dos.structs import struct

__all__ = [
    "Commit", "StartNotInHistoryError", "commits_in_tree", "commits_since", "head_sha",
    "is_ancestor", "resolve_commit",
]


class StartNotInHistoryError(GitError):
    """The start SHA names no commit here, or one the ref does not descend from (a rewrite)."""


@struct
class Commit:
    sha: str
    subject: str
    committed_ms: int

    def to_dict(self) -> dict[str, object]:
        return {"sha": self.sha, "subject": self.subject, "committed_ms": self.committed_ms}


def resolve_commit(root: Path | str, rev: str, *, what: str = "revision") -> str:
    """The full SHA ``rev`` names; GitError when it names no commit here."""
    text = rev.strip()
    if not text or text.startswith("-"):
        raise GitError(f"{what} {rev!r} is not a commit",
                       hint="pass a commit SHA or a branch name")
    if text == "HEAD":
        read = head_commit(root)  # no process when .git says it plainly
        if read is not None:
            return read[0]
    done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{text}^{{commit}}"], root, check=False)
    if done.returncode != 0:
        _require_repository(root)
        raise GitError(f"{what} {rev!r} is not a commit in {root}",
                       hint="check the SHA (`git log --oneline`); a typo must not read as "
                            "'no commits'")
    return done.stdout.strip()


def _require_repository(root: Path | str) -> None:
    done = run_git(["rev-parse", "--git-dir"], root, check=False)
    if done.returncode != 0:
        raise GitError(f"{root} is not a git repository",
                       hint="pass --workspace with the run's repository")


def is_ancestor(root: Path | str, sha: str, ref: str = "HEAD") -> bool:
    """Whether commit ``sha`` is reachable from ``ref``; both must resolve."""
    done = run_git(["merge-base", "--is-ancestor", sha, ref], root, check=False)
    if done.returncode in (0, 1):
        return done.returncode == 0
    raise GitError(f"git merge-base failed for {sha[:12]} and {ref}: "
                   f"{done.stderr.strip() or done.returncode}",
                   hint="check both revisions exist in the repository")


def _span(root: Path | str, start_sha: str, ref: str) -> str:
    """``start..tip``, or "" when the run has not moved (start is the tip: no commits)."""
    tip = resolve_commit(root, ref, what="ref")  # a broken HEAD fails here, as itself
    try:
        start = tip if start_sha == ref else resolve_commit(root, start_sha, what="start SHA")
    except GitError as error:
        raise StartNotInHistoryError(error.message, hint=error.hint) from None
    if start == tip:  # a commit is its own ancestor, and no commit follows it
        return ""
    if not is_ancestor(root, start, tip):
        raise StartNotInHistoryError(f"start SHA {start_sha} is not an ancestor of {ref}",
                       hint="the run's history was rewritten, or pass --ref with the run's "
                            "own branch")
    return f"{start}..{tip}"


def _commit(header: str) -> Commit | None:
    sha, _, rest = header.partition("\t")
    seconds, _, subject = rest.partition("\t")
    if sha and seconds.isdigit():
        return Commit(sha=sha, subject=subject, committed_ms=int(seconds) * 1000)
    return None


def commits_since(root: Path | str, start_sha: str, ref: str = "HEAD") -> list[Commit]:
    """Commits on ``ref`` after ``start_sha``, newest first."""
    span = _span(root, start_sha, ref)
    if not span:
        return []
    done = run_git(["log", "--first-parent", "--format=%H%x09%ct%x09%s", span], root)
    return [commit for line in done.stdout.splitlines() if (commit := _commit(line))]


def commits_in_tree(root: Path | str, start_sha: str, globs: Sequence[str],
                    ref: str = "HEAD") -> list[Commit]:
    """Commits on ``ref`` after ``start_sha`` that change a file inside ``globs``
    (matched as the arbiter matches trees), newest first."""
    from dos.admission.tree import matches

    span = _span(root, start_sha, ref)
    if not span:
        return []
    done = run_git(["log", "--first-parent", "--format=%x00%H%x09%ct%x09%s", "--name-only",
                    span], root)
    found = []
    for chunk in done.stdout.split("\0")[1:]:
        header, *files = chunk.strip("\n").split("\n")
        commit = _commit(header)
        if commit and any(matches(path, glob) for path in files if path for glob in globs):
            found.append(commit)
    return found
