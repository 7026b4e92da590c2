"""Pure rules the oracle applies to commits: reverts, footprints, rung hits, summaries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from dos.lazy_pattern import LazyPattern
from dos.pattern_cache import IGNORECASE
from dos.truth.commits import Commit
from dos.truth.stamp import (
    BODY_MENTION,
    HYG_SLUG,
    RELEASE_PREFIX,
    RUNG_ORDER,
    SUB_PHASE_PARENT,
    Stamp,
    match_body,
    match_subject,
)
from dos.truth.stamp_index import filed_under

__all__ = [
    "RevertIndex",
    "is_release_footprint",
    "rung_summary",
    "subject_hits",
    "touches",
]

_REVERT_SUBJECT = LazyPattern(r'^(Revert|Reapply) "(.*)"\s*$')
_REVERT_BODY = LazyPattern(r"this reverts commit ([0-9a-f]{7,64})", IGNORECASE)
_LEDGERS = frozenset({"dos.state.yaml", "dos.findings.md", "findings-followup-queue.md",
                      "execution-state.yaml", "plans.yaml"})
_RELEASE_FILES = frozenset({"version", "version.txt", "pyproject.toml", "__init__.py",
                            "changelog.md", "changes.md", "news.md", "history.md",
                            "release-notes.md", "package.json", "cargo.toml", "setup.cfg"})


class RevertIndex:
    """Which commits are cancelled by a later revert that is not itself reverted.

    ``commits`` is newest first and must hold every revert of the history read
    (``Revert "…"`` subjects, ``This reverts commit <sha>`` bodies).
    """

    def __init__(self, commits: Sequence[Commit]) -> None:
        by_subject: dict[str, list[int]] = defaultdict(list)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for position, commit in enumerate(commits):
            by_subject[commit.subject].append(position)
            by_prefix[commit.sha[:7]].append(commit.sha)
        reverters: dict[str, list[str]] = defaultdict(list)
        self._outside: list[tuple[str, str]] = []
        for position, commit in enumerate(commits):
            for target in self._targets(commit, position, commits, by_subject, by_prefix):
                reverters[target].append(commit.sha)
        self._cancelled: dict[str, str] = {}
        for commit in commits:
            live = [r for r in reverters.get(commit.sha, []) if r not in self._cancelled]
            if live:
                self._cancelled[commit.sha] = live[0]

    def _targets(self, commit: Commit, position: int, commits: Sequence[Commit],
                 by_subject: dict[str, list[int]], by_prefix: dict[str, list[str]]) -> set[str]:
        targets = set()
        for found in _REVERT_BODY.findall(commit.body):
            prefix = found.lower()
            known = [s for s in by_prefix.get(prefix[:7], []) if s.startswith(prefix)]
            targets.update(known)
            if not known:
                self._outside.append((prefix, commit.sha))
        quoted = _REVERT_SUBJECT.match(commit.subject)
        if quoted:
            reapply = quoted.group(1) == "Reapply"
            wanted = f'Revert "{quoted.group(2)}"' if reapply else quoted.group(2)
            older = [p for p in by_subject.get(wanted, []) if p > position]
            if older:
                targets.add(commits[older[0]].sha)
        return targets

    def canceller(self, sha: str) -> str | None:
        """The sha of the live revert that cancels ``sha``, if any."""
        if sha in self._cancelled:
            return self._cancelled[sha]
        for prefix, reverter in self._outside:
            if sha.startswith(prefix) and reverter not in self._cancelled:
                return reverter
        return None


def subject_hits(stamps: Sequence[Stamp],
                 commits: Sequence[Commit]) -> list[list[tuple[str, Commit]]]:
    """For each stamp, its (rung, commit) hits: rung order first, newest first within."""
    always = [i for i, s in enumerate(stamps) if not s.needles]
    index: dict[str, list[int]] = defaultdict(list)
    for position, stamp in enumerate(stamps):
        for needle in stamp.needles:
            index[needle].append(position)
    found: list[dict[str, list[Commit]]] = [defaultdict(list) for _ in stamps]
    for commit in commits:
        chosen = set(always)
        for run in filed_under(commit.subject, commit.body):
            chosen.update(index.get(run, ()))
        for position in chosen:
            stamp = stamps[position]
            rung = match_subject(stamp, commit.subject)
            if rung is None and match_body(stamp, commit.subject, commit.body):
                rung = BODY_MENTION
            if rung is not None:
                found[position][rung].append(commit)
    return [[(rung, c) for rung in RUNG_ORDER for c in hits.get(rung, [])] for hits in found]


def is_release_footprint(files: Sequence[str]) -> bool:
    """Every file is a ledger or a version/changelog bump (and there is at least one)."""
    def bump(path: str) -> bool:
        base = path.rsplit("/", 1)[-1].lower()
        return base in _LEDGERS or base in _RELEASE_FILES or path.lower().startswith(
            "docs/releases/")
    return bool(files) and all(bump(p) for p in files)


def touches(files: Sequence[str], named: Sequence[str]) -> list[str]:
    """The ``named`` paths among ``files`` (a name may be relative to a sub-directory)."""
    return [n for n in named if any(f == n or f.endswith("/" + n) for f in files)]


def rung_summary(rung: str, commit: Commit, stamp: Stamp) -> str:
    """How a hit reads in ``summary``: the commit, and which rung saw it."""
    line = f"{commit.short} {commit.subject}"
    if rung == RELEASE_PREFIX:
        return f"{line} (release-prefix mention)"
    if rung == HYG_SLUG:
        return f"{line} (HYG slug fallback)"
    if rung == SUB_PHASE_PARENT:
        suffix = stamp.query.phase.strip().partition("-")[2]
        return f"{line} (sub-phase parent fallback: '{suffix}' in subject)"
    if rung == BODY_MENTION:
        return f"{commit.subject} (body mention)"
    return line
