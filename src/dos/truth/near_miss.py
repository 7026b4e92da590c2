"""Near misses: commit subjects that almost stamp a phase, and why each did not count.

Pure. ``dos verify --explain`` shows them beside a NOT_SHIPPED verdict, so a user who
wrote ``AUTH-1: …`` or ``AUTH1 ship it`` sees the one character the grammar wanted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dos.structs import struct
from dos.truth.commits import Commit
from dos.truth.stamp import Stamp, is_bookkeeping, match_subject

__all__ = ["NearMiss", "loose_terms", "near_misses"]

_RUN = re.compile(r"[A-Za-z]+|[0-9]+")
_GAP = r"[^A-Za-z0-9]{0,3}"
_DIR = r"(?:[A-Za-z0-9_][\w.\-]*/)?"
_SEPARATOR = re.compile(r"\s*(?::|\u2014|\u2013|-\s)")


@struct
class NearMiss:
    """A commit whose subject names the phase but does not stamp it, and why."""

    sha: str
    subject: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {"sha": self.sha, "subject": self.subject, "why": self.why}


def _runs(stamp: Stamp) -> list[list[str]]:
    spellings = [stamp.query.phase.strip(), *stamp.variants]
    found = [_RUN.findall(text) for text in dict.fromkeys(spellings)]
    return [runs for runs in found if runs]


def loose_terms(stamp: Stamp) -> list[str]:
    """POSIX ERE terms (case-insensitive) that find every near spelling of the phase."""
    return ["[^[:alnum:]]{0,3}".join(runs) for runs in _runs(stamp)]


def _loose(stamp: Stamp) -> re.Pattern[str] | None:
    runs = _runs(stamp)
    if not runs:
        return None
    spelled = "|".join(_GAP.join(re.escape(run) for run in r) for r in runs)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{spelled})(?![A-Za-z0-9]|[.\-][0-9])",
                      re.IGNORECASE)


def _canonical(stamp: Stamp) -> str:
    return stamp.variants[0] if stamp.variants else stamp.query.phase.strip()


def _why_subject(stamp: Stamp, subject: str, found: re.Match[str]) -> str:
    token, plan, phase = found.group(0), stamp.query.plan.strip(), _canonical(stamp)
    if token.casefold() not in {v.casefold() for v in stamp.variants}:
        return f"spells the phase '{token}'; the stamp spells it '{phase}'"
    head = re.match(rf"{_DIR}([A-Za-z][\w.\-]*)\s*:", subject)
    at_start = re.match(rf"{_DIR}{re.escape(token)}", subject) is not None
    if head and not at_start and head.group(1).casefold() != plan.casefold():
        return (f"stamps it under plan '{head.group(1)}', not '{plan}' (verify "
                f"{head.group(1)} {token}, or write '{plan}: {token} …')")
    separator = _SEPARATOR.match(subject, found.end())
    after = subject[separator.end():].split()[:1] if separator else []
    markers = {m.casefold() for m in stamp.grammar.progress_markers}
    if after and after[0].casefold() in markers:
        return f"is marked in progress ('{after[0]}'), not shipped"
    if separator and at_start:
        return (f"opens with '{token}:', which does not name plan '{plan}'; write "
                f"'{plan}: {token} …'")
    if at_start:
        return f"has no ':' after the phase; a stamp reads '{phase}: …'"
    return (f"names the phase inside the subject; a stamp opens it ('{phase}: …' or "
            f"'{plan}: {phase} …')")


def _why(stamp: Stamp, commit: Commit, loose: re.Pattern[str]) -> str | None:
    subject = commit.subject
    if subject.lower().startswith("revert") or match_subject(stamp, subject) is not None:
        return None  # a hit (its fate is the verdict's own story) or a revert
    found = loose.search(subject)
    if found is None:
        return "names the phase only in the message body" if loose.search(commit.body) \
            else None
    if is_bookkeeping(subject, stamp.grammar):
        return "is a bookkeeping commit (ledger, snapshot, archive); those never ship"
    return _why_subject(stamp, subject, found)


def near_misses(stamp: Stamp, commits: Iterable[Commit], *, limit: int = 5) -> list[NearMiss]:
    """Up to ``limit`` commits (in the order given, newest first) that almost stamp it."""
    loose = _loose(stamp)
    if loose is None:
        return []
    found: list[NearMiss] = []
    for commit in commits:
        why = _why(stamp, commit, loose)
        if why is not None:
            found.append(NearMiss(commit.sha[:12], commit.subject, why))
            if len(found) >= limit:
                break
    return found
