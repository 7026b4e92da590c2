"""Small reads of one repository: its main working tree, its files, named commits, and the
commit that removed a path. Each is one git process, whatever the number of names."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dos.git import run_git
from dos.git.history import ancestors, existing_commits, touched_files
from dos.truth.commits import Commit

__all__ = ["commit_records", "listed_files", "main_worktree", "removal_of", "resolve_shas"]

_FIELD = "\x1f"


def main_worktree(root: Path) -> Path | None:
    """The main working tree of the repository ``root`` is in (itself, unless ``root`` is
    a linked worktree); None for a bare repository or no repository."""
    done = run_git(["rev-parse", "--path-format=absolute", "--git-common-dir"], root,
                   check=False)
    common = Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None
    return common.parent if common is not None and common.name == ".git" else None


def listed_files(root: Path) -> tuple[str, ...]:
    """Tracked and untracked (not ignored) files, relative to ``root``."""
    done = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root)
    return tuple(dict.fromkeys(name for name in done.stdout.split("\0") if name))


def removal_of(root: Path, path: str) -> tuple[str, str] | None:
    """``(sha, subject)`` of the newest commit of HEAD that deleted ``path``."""
    done = run_git(["log", "-1", "-z", f"--format=%H{_FIELD}%s", "--diff-filter=D", "HEAD",
                    "--", f":(literal){path}"], root, check=False)
    sha, _, subject = done.stdout.strip("\0\n").partition(_FIELD)
    return (sha, subject) if done.returncode == 0 and sha else None


def commit_records(root: Path, shas: Iterable[str]) -> list[Commit]:
    """The commits named by full ``shas``, with parents and subjects."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return []
    done = run_git(["log", "--no-walk=unsorted", "-z", f"--format=%H{_FIELD}%P{_FIELD}%s",
                    "--stdin"], root, input_text="\n".join(unique) + "\n")
    records = []
    for item in done.stdout.split("\0"):
        sha, parents, subject = [*item.strip("\n").split(_FIELD), "", ""][:3]
        if sha:
            records.append(Commit(sha, tuple(parents.split()), subject))
    return records


def resolve_shas(root: Path, names: Iterable[str]) -> dict[str, tuple[Commit, bool,
                                                                   tuple[str, ...]]]:
    """``name → (commit, in HEAD's history, files it changed)`` for each name that is a
    commit of this repository."""
    found = existing_commits(root, names)
    records = {commit.sha: commit for commit in commit_records(root, found.values())}
    head = run_git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False)
    in_head = ancestors(root, head.stdout.strip(), records) if head.returncode == 0 else set()
    files = touched_files(root, records.values())
    return {name: (records[sha], sha in in_head, files.get(sha, ()))
            for name, sha in found.items() if sha in records}
