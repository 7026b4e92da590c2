"""Does a sentence deny what it mentions? A small, pure negation detector.

A *cue* is a word that flips a clause's polarity: a negator ("not", "never", "no",
"doesn't", "without") or a removal word ("removed", "deleted", "gone", "no longer").
A clause is negated when it holds an odd number of cues, so "foo.py was deleted" is
negated and "foo.py was not deleted" is not. A cue is a whole word outside backticks:
the "no" of ``--no-cache`` or the "gone" of ``src/gone.py`` is never one, nor is an answering "No,".

Transfer words ("renamed", "moved", "replaced") deny only what comes before their
connective: in "old.py was renamed to new.py" the cue covers old.py, not new.py.
"""

from __future__ import annotations

import re
from enum import StrEnum

from dos.structs import struct

__all__ = ["Cue", "CueKind", "clause_bounds", "cues_in", "is_negated", "negated_at"]


class CueKind(StrEnum):
    NEGATOR = "negator"    # denies the clause: not, never, no, n't, without
    REMOVAL = "removal"    # says the thing is gone: removed, deleted, no longer
    TRANSFER = "transfer"  # gone from here, present there: renamed, moved, replaced


@struct
class Cue:
    """One cue word found in a text: what it is, and where."""

    text: str
    kind: CueKind
    start: int
    end: int


_EDGE_L = r"(?<![\w/.`-])"
_EDGE_R = r"(?![\w/`-])"
_WORDS: tuple[tuple[CueKind, str], ...] = (
    (CueKind.REMOVAL, r"no\s+longer|not\s+any\s*more"),
    (CueKind.NEGATOR, r"not|never|no(?!\s*[,.!])|none|nor|neither|without|cannot|\w+n['\u2019]t"),
    (CueKind.REMOVAL, r"removed|deleted|dropped|gone|eliminated|stripped|retired|"
                      r"missing|absent|vanished|purged|deprecated\s+and\s+removed"),
    (CueKind.TRANSFER, r"renamed|moved|replaced|superseded|migrated"),
)
_CUE = re.compile("|".join(f"(?P<k{i}>{_EDGE_L}(?:{words}){_EDGE_R})"
                           for i, (_, words) in enumerate(_WORDS)), re.IGNORECASE)
_BREAK = re.compile(r"[.!?;:](?=\s|$)|\n|,?\s+(?:but|whereas|while|although|though|however)"
                    r"\s+", re.IGNORECASE)
_CONNECTIVE = re.compile(r"\b(?:to|into|by|with|for)\b", re.IGNORECASE)
_CODE = re.compile(r"`[^`\n]*`")


def _masked(text: str) -> str:
    """``text`` with code spans blanked, so their contents are never cues."""
    return _CODE.sub(lambda match: " " * len(match.group(0)), text)


def cues_in(text: str) -> tuple[Cue, ...]:
    """Every cue in ``text`` (outside backticks), in order."""
    found = []
    for match in _CUE.finditer(_masked(text)):
        index = int(next(name for name, value in match.groupdict().items() if value)[1:])
        found.append(Cue(match.group(0), _WORDS[index][0], match.start(), match.end()))
    return tuple(found)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` holding ``text[start:end]``: cut at sentence ends,
    semicolons, colons, line breaks and contrast words ("but", "while")."""
    lo, hi = 0, len(text)
    for match in _BREAK.finditer(_masked(text)):
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    return lo, hi


def _covers(cue: Cue, clause: str, start: int) -> bool:
    """Whether ``cue`` bears on the span at ``start`` (clause offsets)."""
    if cue.kind is CueKind.TRANSFER and cue.end <= start:
        connective = _CONNECTIVE.search(clause, cue.end, start)
        return connective is None  # "renamed to X": X is where it lives now
    return True


def negated_at(text: str, start: int, end: int, *,
               kinds: frozenset[CueKind] = frozenset(CueKind)) -> bool:
    """Is what ``text[start:end]`` names denied by its clause? Cues inside the span
    itself never count; ``kinds`` limits which cues do (e.g. negators only)."""
    lo, hi = clause_bounds(text, start, end)
    clause = text[lo:hi]
    count = sum(1 for cue in cues_in(clause)
                if cue.kind in kinds and not (start - lo <= cue.start < end - lo)
                and _covers(cue, clause, start - lo))
    return count % 2 == 1


def is_negated(text: str) -> bool:
    """Is ``text``, read as one clause, a denial? ("was removed", "does NOT import")."""
    return sum(1 for cue in cues_in(text) if cue.kind is not CueKind.TRANSFER) % 2 == 1
