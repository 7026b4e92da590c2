"""The judge seam: an adjudicator's stance on a claim, given the evidence.

A judge has a ``name`` and ``judge(claim, config) -> JudgeVerdict``. The built-in
``abstain`` resolves first and cannot be shadowed; the shipped and third-party judges
resolve through the ``dos.judges`` entry-point group, by the one plugin loader. A
judge that raises or answers with anything but a :class:`JudgeVerdict` abstains:
a broken adjudicator never clears a claim.

Imported by the evaluation harnesses (``dos judge-eval``) and ``dos judge``; it may
import the truth domain (the negation reader) and nothing above it.
"""

from __future__ import annotations

from dos.judges.base import (
    BUILTIN_JUDGES,
    JUDGE_GROUP,
    Claim,
    Judge,
    JudgeVerdict,
    Stance,
    known_judges,
    open_judge,
    safe_judge,
)

__all__ = ["BUILTIN_JUDGES", "JUDGE_GROUP", "Claim", "Judge", "JudgeVerdict", "Stance",
           "known_judges", "open_judge", "safe_judge"]
