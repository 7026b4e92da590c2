"""Reading commit history: one streaming ``git log`` pass, never one process per commit.

Every function takes the workspace root and returns plain data; the callers
(the oracle, commit-audit, the plan board) decide what it means.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from dos.errors import GitError
from dos.git import run_git
from dos.git.head_file import head_commit
from dos.pattern_cache import compile as compile_pattern
from dos.truth.commits import Commit

__all__ = [
    "REVERT_MARKER",
    "Commit",
    "ancestors",
    "commits_touching",
    "existing_commits",
    "recent",
    "resolve_commit",
    "resolve_with_depth",
    "scan_messages",
    "touched_files",
]

REVERT_MARKER = "this reverts commit"
# Above this many characters one ERE alternation gets slower than reading everything.
_MAX_GREP_CHARS = 32_000
_FIELD = "\x1f"
_LOG_FORMAT = "--format=%H%x1f%P%x1f%ct%x1f%s%x1f%b"


def resolve_commit(root: Path, ref: str) -> str:
    """The full sha ``ref`` names; a :class:`GitError` that says what to do otherwise."""
    return resolve_with_depth(root, ref)[0]


def resolve_with_depth(root: Path, ref: str) -> tuple[str, bool]:
    """(the full sha ``ref`` names, whether the clone is shallow), in one git call."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a ref", hint="pass a branch, tag or commit sha")
    if ref == "HEAD":
        read = head_commit(root)  # no process when .git says it plainly
        if read is not None:
            return read
    done = run_git(["rev-parse", "--is-shallow-repository", "--verify", "--quiet",
                    "--end-of-options", f"{ref}^{{commit}}"], root, check=False)
    words = done.stdout.split()
    if done.returncode == 0 and len(words) == 2:
        return words[1], words[0] == "true"
    probe = run_git(["rev-parse", "--git-dir"], root, check=False)
    if probe.returncode != 0:
        raise GitError(f"{root} is not inside a git repository",
                       hint="run dos in a git repository, or pass --workspace DIR pointing at one")
    if ref == "HEAD":
        raise GitError(f"the repository at {root} has no commits yet",
                       hint="commit something first; there is no history to answer from")
    raise GitError(f"'{ref}' does not name a commit in {root}",
                   hint=f"check it with `git rev-parse {ref}`; pass an existing branch, tag or sha")


def _grep_args(terms: Sequence[str] | None) -> list[str] | None:
    if terms is None:
        return []
    pattern = "(" + "|".join(dict.fromkeys([*terms, REVERT_MARKER])) + ")"
    if len(pattern) > _MAX_GREP_CHARS:
        return None
    return ["-E", "-i", f"--grep={pattern}"]


def _parse_log(text: str, *, timed: bool = False) -> list[Commit]:
    commits = []
    for raw in text.split("\0"):
        record = raw.lstrip("\n")
        if not record:
            continue
        if timed:
            sha, parents, when, subject, body = [*record.split(_FIELD, 4), "", "", "", ""][:5]
        else:
            (sha, parents, subject, body), when = [*record.split(_FIELD, 3), "", "", ""][:4], ""
        commits.append(Commit(sha, tuple(parents.split()), subject, body.strip(),
                              int(when) if when.isdigit() else 0))
    return commits


def scan_messages(root: Path, ref: str, terms: Sequence[str] | None = None) -> list[Commit]:
    """Every commit in the ancestry of ``ref`` (newest first) whose message may contain
    one of ``terms`` (POSIX ERE, case-insensitive), plus every revert; all commits when
    ``terms`` is ``None`` or too long for one pattern. The whole history is read."""
    grep = _grep_args(terms)
    args = ["-c", "grep.patternType=extended", "log", "-z", "--no-notes", _LOG_FORMAT,
            *(grep or []), "--end-of-options", ref, "--"]
    return _parse_log(run_git(args, root).stdout, timed=True)


def touched_files(root: Path, commits: Iterable[Commit]) -> dict[str, tuple[str, ...]]:
    """Files each commit changed against its first parent (a root commit: all its files)."""
    wanted = {c.sha: c for c in commits}
    if not wanted:
        return {}
    lines = [f"{c.sha} {c.parents[0]}" if c.parents else c.sha for c in wanted.values()]
    done = run_git(["diff-tree", "--stdin", "-z", "-r", "--name-only", "--root", "--always",
                    "--no-renames", "--no-relative", "--no-ext-diff"], root,
                   input_text="\n".join(lines) + "\n")
    files: dict[str, list[str]] = {sha: [] for sha in wanted}
    current: list[str] | None = None
    for item in done.stdout.split("\0"):
        if item in files:
            current = files[item]
        elif item and current is not None:
            current.append(item)
    return {sha: tuple(paths) for sha, paths in files.items()}


def existing_commits(root: Path, names: Iterable[str]) -> dict[str, str]:
    """``name → full sha`` for each name that resolves to a commit; others are left out."""
    hexadecimal = compile_pattern(r"[0-9a-fA-F]{4,64}")
    unique = [n for n in dict.fromkeys(names) if n and hexadecimal.fullmatch(n)]
    if not unique:
        return {}
    done = run_git(["cat-file", "--batch-check=%(objectname) %(objecttype)"], root,
                   input_text="\n".join(unique) + "\n")
    found = {}
    for name, line in zip(unique, done.stdout.splitlines(), strict=False):
        parts = line.split()
        if len(parts) == 2 and parts[1] == "commit":
            found[name] = parts[0]
    return found


def ancestors(root: Path, ref_sha: str, shas: Iterable[str]) -> set[str]:
    """Which of ``shas`` (full, existing commits) are in the ancestry of ``ref_sha``."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return set()
    lines = [*unique, f"^{ref_sha}"]
    done = run_git(["rev-list", "--stdin"], root, input_text="\n".join(lines) + "\n")
    outside = set(done.stdout.split())
    return {sha for sha in unique if sha not in outside}


# git uses the commit-graph's changed-path filters only for a single pathspec, so a few
# paths are read one git call each (and merged) rather than in one unfiltered walk.
_PER_PATH_MAX = 8


def commits_touching(root: Path, ref: str,
                     paths: Sequence[str]) -> list[tuple[Commit, tuple[str, ...]]]:
    """Non-merge commits of ``ref``'s ancestry that touched any of ``paths``, newest first
    (commit time, then the order git walked them); each with the ``paths`` it touched."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return []
    groups = [[p] for p in wanted] if len(wanted) <= _PER_PATH_MAX else [wanted]
    found: dict[str, tuple[Commit, set[str], int]] = {}
    for group in groups:
        for commit, files in _touching_one(root, ref, group):
            known = found.setdefault(commit.sha, (commit, set(), len(found)))
            known[1].update(files)
    ordered = sorted(found.values(), key=lambda item: (-item[0].time, item[2]))
    return [(commit, tuple(p for p in wanted if p in files)) for commit, files, _ in ordered]


def _touching_one(root: Path, ref: str,
                  paths: Sequence[str]) -> list[tuple[Commit, set[str]]]:
    args = ["log", "--no-merges", "--no-renames", "--no-relative", "--name-only", "-z",
            "--no-notes", "--format=%x1e%H%x1f%P%x1f%ct%x1f%s", "--end-of-options", ref]
    if len(paths) <= 32:  # many pathspecs make git's tree walk quadratic; filter here instead
        args += ["--", *paths]
    wanted = set(paths)
    found = []
    for record in run_git(args, root).stdout.split("\x1e"):
        header, _, rest = record.partition("\0")
        if not header:
            continue
        sha, parents, when, subject = [*header.split(_FIELD, 3), "", "", ""][:4]
        files = wanted & {p.strip("\n") for p in rest.split("\0") if p.strip("\n")}
        if files:
            commit = Commit(sha, tuple(parents.split()), subject, "",
                            int(when) if when.isdigit() else 0)
            found.append((commit, files))
    return found


def recent(root: Path, ref: str, count: int) -> list[Commit]:
    """The ``count`` newest commits of ``ref`` (subjects only)."""
    done = run_git(["log", f"-{count}", "-z", "--no-notes", "--format=%H%x1f%P%x1f%s",
                    "--end-of-options", ref, "--"], root)
    return _parse_log(done.stdout)


def recent_under(root: Path, ref: str, count: int,
                 paths: Sequence[str]) -> list[tuple[int, str]]:
    """``(commit time in epoch ms, subject)`` of the ``count`` newest commits of ``ref``
    that touched ``paths``, newest first (none when ``paths`` is empty)."""
    if not paths or count <= 0:
        return []
    done = run_git(["log", f"-{count}", "-z", "--no-notes", "--format=%ct%x1f%s",
                    "--end-of-options", ref, "--", *paths], root)
    found = []
    for record in done.stdout.split("\0"):
        stamp, _, subject = record.partition(_FIELD)
        if stamp.strip().isdigit():
            found.append((int(stamp.strip()) * 1000, subject))
    return found
