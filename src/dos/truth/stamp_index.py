"""The stamp index's pure parts: which words a commit is filed under, which commits a set
of stamps can match, and the one order ("newest first") both the index and a full scan use.

A commit's message and parents never change, so what the index stores about a commit is
never stale; only which commits are in the asked ref's history changes, and that is kept
as the exact ancestry of the indexed tip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dos.lazy_pattern import LazyPattern
from dos.structs import struct
from dos.truth.commits import Commit
from dos.truth.stamp import Stamp

__all__ = [
    "INDEX_FORMAT",
    "IndexState",
    "filed_under",
    "generations",
    "index_words",
    "is_revert",
    "keep_candidate",
    "newest_first",
]

# Bump when what is stored per commit (or how words are cut) changes: older files rebuild.
INDEX_FORMAT = "dos-stamp-index/2"  # 2: the files table
_RUN = LazyPattern(r"[a-z0-9]+")
_REVERT_MARKER = "this reverts commit"


def filed_under(subject: str, body: str) -> set[str]:
    """The lowercase alphanumeric runs of a message: the words the index files it under."""
    return set(_RUN.findall(f"{subject}\n{body}".lower()))


def is_revert(subject: str, body: str) -> bool:
    """The message says it reverts a commit (every revert is kept as a candidate)."""
    return _REVERT_MARKER in f"{subject}\n{body}".lower()


def index_words(stamps: Sequence[Stamp]) -> set[str] | None:
    """The words one of which a commit must be filed under to match any of ``stamps``;
    ``None`` when some stamp has no such word (only a full scan can answer it)."""
    if any(not stamp.needles for stamp in stamps):
        return None
    return {needle for stamp in stamps for needle in stamp.needles}


def keep_candidate(commit: Commit, words: set[str]) -> bool:
    """A commit the oracle reads for these words: one is in it, or it is a revert."""
    return is_revert(commit.subject, commit.body) or not words.isdisjoint(
        filed_under(commit.subject, commit.body))


def generations(graph: Iterable[tuple[str, tuple[str, ...]]],
                known: Mapping[str, int] | None = None) -> dict[str, int]:
    """Each commit's generation (1 + its parents' largest; a missing parent counts 0);
    ``graph`` lists parents before children, ``known`` holds earlier results."""
    found: dict[str, int] = {}
    seen = known or {}
    for sha, parents in graph:
        found[sha] = 1 + max((found.get(p, seen.get(p, 0)) for p in parents), default=0)
    return found


def newest_first(commits: Iterable[Commit], generation: Mapping[str, int]) -> list[Commit]:
    """Commit time descending, then generation descending (a child before its parent in
    the same second), then sha: the same order whichever way the commits were found."""
    return sorted(commits, key=lambda c: (-c.time, -generation.get(c.sha, 0), c.sha))


@struct
class IndexState:
    """What ``dos doctor`` says about the index."""

    path: str
    enabled: bool
    exists: bool
    tip: str = ""
    commits: int = 0
    reachable: int = 0
    built_ms: int = 0
    problem: str = ""
