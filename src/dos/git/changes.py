"""The newest commits on HEAD's first-parent line, with the files each changed: one
``git log`` for a whole ``dos top`` frame, however many lanes it shows."""

from __future__ import annotations

from pathlib import Path

from dos.git import run_git
from dos.structs import struct

__all__ = ["Change", "head_changes"]

_RECORD, _FIELD = "\x1e", "\x1f"


@struct
class Change:
    """One commit: a merge's files are those it changed against its first parent."""

    sha: str
    subject: str
    committed_ms: int
    files: tuple[str, ...]


def _change(record: str) -> Change | None:
    header, _, rest = record.partition("\0")
    sha, seconds, subject = [*header.strip("\n").split(_FIELD, 2), "", ""][:3]
    if not sha or not seconds.isdigit():
        return None
    files = tuple(name.strip("\n") for name in rest.split("\0") if name.strip("\n"))
    return Change(sha, subject, int(seconds) * 1000, files)


def head_changes(root: Path | str, limit: int) -> list[Change]:
    """The ``limit`` newest commits of HEAD (first parents only), newest first.

    GitError when git is missing, ``root`` is no repository or HEAD names no commit yet."""
    done = run_git(["log", "--first-parent", f"--max-count={limit}", "--no-renames", "-z",
                    "--name-only", "--no-notes", f"--format={_RECORD}%H{_FIELD}%ct{_FIELD}%s",
                    "--end-of-options", "HEAD", "--"], root)
    return [change for record in done.stdout.split(_RECORD) if (change := _change(record))]
