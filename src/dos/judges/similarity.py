"""The ``similarity`` judge: does the evidence say what the claim says?

A lexical score (the share of the claim's content words the evidence contains) or an
external scorer's, against a threshold. Words alone cannot tell "tests pass" from
"tests did not pass", so a claim word the evidence only ever negates (or affirms where
the claim negates it) is a DISAGREE whatever the score; evidence that says both ways
abstains. A score that is not a finite number from 0 to 1 abstains: it never clears.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from dos.judges.base import Claim, JudgeVerdict, Stance

__all__ = ["SimilarityJudge", "lexical_score"]

_WORD = re.compile(r"[^\W_]+")
_CLAUSE = re.compile(r"[.;:!?,]|\b(?:but|however|although|though|yet)\b", re.IGNORECASE)
_CUES = frozenset({"not", "no", "never", "none", "nothing", "neither", "nor", "without",
                   "cannot", "nobody", "nowhere"})
_STOP = frozenset({"the", "a", "an", "is", "are", "was", "were", "be", "been", "to", "of",
                   "and", "or", "in", "on", "at", "for", "it", "this", "that", "with", "by",
                   "as", "do", "does", "did", "has", "have", "had", "all"})
_SCOPE = 4  # a cue negates the words up to this many places after it, in its clause


def _words(text: str) -> list[str]:
    folded = text.casefold().replace("n't", " not").replace("cannot", "can not")
    return _WORD.findall(folded)


def _polarities(text: str) -> dict[str, set[bool]]:
    """Each word of ``text`` → how it occurs: True negated, False plain. A cue negates
    the next few words of its clause."""
    seen: dict[str, set[bool]] = {}
    for part in _CLAUSE.split(text):
        words = _words(part) if part else []
        last_cue = -_SCOPE - 1
        for at, word in enumerate(words):
            if word in _CUES:
                last_cue = at
            else:
                seen.setdefault(word, set()).add(at - last_cue <= _SCOPE)
    return seen


def _negated(text: str, term: str) -> set[bool]:
    """How ``term`` occurs in ``text`` (empty: it does not)."""
    return _polarities(text).get(term, set())


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if w not in _STOP and w not in _CUES}


def lexical_score(claim: str, evidence: Sequence[str]) -> float:
    """The share of the claim's distinct content words found in the evidence."""
    wanted = _content(claim)
    found: set[str] = set().union(*(_content(line) for line in evidence)) if evidence else set()
    return len(wanted & found) / len(wanted) if wanted else 0.0


def _polarity_clash(claim: str, evidence: Sequence[str]) -> tuple[list[str], list[str]]:
    """(words the evidence contradicts, words it states both ways)."""
    said_all = _polarities(claim)
    heard_all: dict[str, set[bool]] = {}
    for line in evidence:
        for word, ways in _polarities(line).items():
            heard_all.setdefault(word, set()).update(ways)
    clash: list[str] = []
    mixed: list[str] = []
    for term in sorted(_content(claim)):
        said, heard = said_all.get(term, set()), heard_all.get(term, set())
        if len(said) != 1 or not heard or heard == said:
            continue
        (mixed if len(heard) == 2 else clash).append(term)
    return clash, mixed


class SimilarityJudge:
    """AGREE when the evidence covers the claim (score >= threshold) and negates none of
    it; DISAGREE when it covers too little or contradicts it; else ABSTAIN."""

    name = "similarity"

    def __init__(self, threshold: float = 0.82, command: Sequence[str] = (),
                 timeout_s: float = 120.0) -> None:
        if not (isinstance(threshold, int | float) and 0.0 <= threshold <= 1.0):
            raise ValueError(f"threshold must be a number from 0 to 1, got {threshold!r}")
        self.threshold = float(threshold)
        self.command = list(command)
        self.timeout_s = timeout_s

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict:  # noqa: ARG002 - the seam
        evidence = [line for line in claim.evidence if line.strip()]
        if not evidence or not _content(claim.claim_text):
            return JudgeVerdict(Stance.ABSTAIN, "nothing to compare: no claim words or "
                                "no evidence")
        clash, mixed = _polarity_clash(claim.claim_text, evidence)
        if clash:
            return JudgeVerdict(Stance.DISAGREE, "the evidence negates the claim",
                                (f"similarity: the evidence says the opposite about "
                                 f"{', '.join(repr(w) for w in clash)}",))
        if mixed:
            return JudgeVerdict(Stance.ABSTAIN, "the evidence says it both ways",
                                (f"similarity: {', '.join(repr(w) for w in mixed)} is both "
                                 "affirmed and negated in the evidence",))
        score, kind = self._score(claim.claim_text, evidence)
        if not (isinstance(score, float) and math.isfinite(score) and 0.0 <= score <= 1.0):
            return JudgeVerdict(Stance.ABSTAIN, f"the {kind} score is unusable ({score!r})")
        line = f"similarity: {kind} similarity {score:.3f} vs threshold {self.threshold:.2f}"
        if score >= self.threshold:
            return JudgeVerdict(Stance.AGREE, "the evidence covers the claim", (line,))
        return JudgeVerdict(Stance.DISAGREE, "the evidence does not cover the claim", (line,))

    def _score(self, claim: str, evidence: list[str]) -> tuple[float | str, str]:
        if not self.command:
            return lexical_score(claim, evidence), "lexical"
        from dos.judges._external import run_program

        data = json.dumps({"claim": claim, "evidence": evidence}).encode()
        output = run_program(self.command, data, timeout_s=self.timeout_s, max_output=256)
        if isinstance(output, tuple):
            return f"scorer failed: {output[0]}", "external"
        try:
            return float(output.strip()), "external"
        except ValueError:
            return f"not a number: {output.strip()[:40]!r}", "external"
