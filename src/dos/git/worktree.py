"""Which files a change touches: the working tree, the index, or a commit range.

A git failure raises :class:`dos.errors.GitError`; it is never read as "nothing
changed", because an empty footprint would let every write through.
"""

from __future__ import annotations

from pathlib import Path

from dos.errors import UsageError
from dos.git import run_git

__all__ = ["changed_files", "has_head"]


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def has_head(root: Path | str) -> bool:
    """Whether the repository has at least one commit."""
    done = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root, check=False)
    return done.returncode == 0


def _check_repository(root: Path | str) -> None:
    run_git(["rev-parse", "--is-inside-work-tree"], root)


def changed_files(root: Path | str, *, staged: bool = False, base: str | None = None,
                  head: str | None = None) -> tuple[str, ...]:
    """Touched paths, relative to ``root`` and sorted.

    Default: the working tree and the index against HEAD, plus untracked files that
    are not ignored. ``staged``: the index against HEAD. ``base``/``head``: the
    commits between them (``head`` defaults to HEAD). Renames list both paths.
    """
    _check_repository(root)
    if head and not base:
        raise UsageError("--head needs --base", hint="pass --base REF (for example main)")
    # --relative: paths relative to the workspace, which may sit below the git top level
    diff = ["diff", "--name-only", "--no-renames", "--relative", "-z"]
    if base:
        names = _names(run_git([*diff, base, head or "HEAD", "--"], root).stdout)
    elif not has_head(root):
        # nothing committed yet: everything in the index is new
        names = _names(run_git(["ls-files", "-z", "--cached"], root).stdout)
        if not staged:
            names += _untracked(root)
    elif staged:
        names = _names(run_git([*diff, "--cached", "HEAD", "--"], root).stdout)
    else:
        names = _names(run_git([*diff, "HEAD", "--"], root).stdout) + _untracked(root)
    return tuple(sorted(set(names)))


def _untracked(root: Path | str) -> list[str]:
    return _names(run_git(["ls-files", "-z", "--others", "--exclude-standard"], root).stdout)
