"""Commits as plain data, shared by the git edge and the verdicts that read them."""

from __future__ import annotations

from dos.structs import struct

__all__ = ["Commit", "CommitDiff", "FileChange"]


@struct
class Commit:
    """One commit as history shows it: full sha, parents, subject and body."""

    sha: str
    parents: tuple[str, ...]
    subject: str
    body: str = ""
    # committer time (epoch seconds); 0 when the read did not ask for it
    time: int = 0

    @property
    def short(self) -> str:
        return self.sha[:12]


@struct
class FileChange:
    """One file a commit changed; line counts are ``None`` for binary files."""

    path: str
    added: int | None = None
    removed: int | None = None


@struct
class CommitDiff:
    """A commit with the files it changed against its first parent."""

    commit: Commit
    changes: tuple[FileChange, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(change.path for change in self.changes)
