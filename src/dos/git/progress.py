"""Commits attributed to a run: those on its ref since its start SHA.

A start SHA that does not name a commit, or is not an ancestor of the ref, is a
:class:`~dos.errors.GitError` — never "0 commits", which would read as a verdict.
Merges count once (``--first-parent``): a merge brings in other people's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dos.errors import GitError
from dos.git import run_git

__all__ = ["Commit", "commits_since", "is_ancestor", "resolve_commit"]


@dataclass(frozen=True)
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


def commits_since(root: Path | str, start_sha: str, ref: str = "HEAD") -> list[Commit]:
    """Commits on ``ref`` after ``start_sha``, newest first."""
    start = resolve_commit(root, start_sha, what="start SHA")
    tip = resolve_commit(root, ref, what="ref")
    if not is_ancestor(root, start, tip):
        raise GitError(f"start SHA {start_sha} is not an ancestor of {ref}",
                       hint="the run's history was rewritten, or pass --ref with the run's "
                            "own branch")
    done = run_git(["log", "--first-parent", "--format=%H%x09%ct%x09%s", f"{start}..{tip}"],
                   root)
    commits = []
    for line in done.stdout.splitlines():
        sha, _, rest = line.partition("\t")
        seconds, _, subject = rest.partition("\t")
        if sha and seconds.isdigit():
            commits.append(Commit(sha=sha, subject=subject, committed_ms=int(seconds) * 1000))
    return commits
