"""The verdict on one memory note, from the checks of its claims (pure)."""

from __future__ import annotations

from dos.structs import field, struct
from dos.truth.memory.judge import Check, Status
from dos.truth.memory.note import Note
from dos.verdicts.memory import MemoryToken

__all__ = ["GLOSS", "MemoryPolicy", "MemoryVerdict", "classify"]

GLOSS = {
    MemoryToken.FRESH: "FRESH — every checkable claim still holds in the working tree and "
                       "git; safe to rely on.",
    MemoryToken.STALE: "STALE — the tree or git now says otherwise; withhold the note or "
                       "rewrite it before relying on it.",
    MemoryToken.UNVERIFIABLE: "UNVERIFIABLE — nothing in the note can be checked against "
                              "the tree or git; treat it as an opinion, not a fact.",
}


@struct
class MemoryPolicy:
    """Note types that record a preference rather than a fact about the code."""

    unfalsifiable_types: frozenset[str] = frozenset({"user", "feedback"})


@struct
class MemoryVerdict:
    token: MemoryToken
    reason: str
    note: Note
    checks: tuple[Check, ...] = ()
    culprit: Check | None = field(default=None)


_DEFAULT_POLICY = MemoryPolicy()


def classify(note: Note, checks: tuple[Check, ...],
             policy: MemoryPolicy = _DEFAULT_POLICY) -> MemoryVerdict:
    """FRESH, STALE or UNVERIFIABLE for ``note`` given its claims' ``checks``."""
    if note.kind in policy.unfalsifiable_types:
        return MemoryVerdict(MemoryToken.UNVERIFIABLE, f"type={note.kind}: a preference "
                             "note cannot be checked against the code", note, checks)
    checkable = [check for check in checks if check.status is not Status.UNKNOWN]
    if not checkable:
        return MemoryVerdict(MemoryToken.UNVERIFIABLE, "names nothing the tree or git can "
                             "confirm (or every check abstained)", note, checks)
    culprit = next((c for c in checkable if c.status is Status.CONTRADICTS), None)
    if culprit is not None:
        claim = culprit.claim
        return MemoryVerdict(MemoryToken.STALE, f"ground truth disagrees with {claim.raw!r} "
                             f"({claim.kind}/{claim.polarity}, via {culprit.source}): "
                             f"{culprit.ground_truth}", note, checks, culprit)
    return MemoryVerdict(MemoryToken.FRESH, f"all {len(checkable)} checkable claim(s) "
                         "confirmed against the working tree and git", note, checks)
