"""The evaluation harnesses' one verdict: did the graded knob meet its bar?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["EvalToken"]


class EvalToken(VerdictToken):
    """One polarity for every ``*-eval`` verb: 0 meets the bar, 1 is below it."""

    MEETS_BAR = ("MEETS_BAR", 0)
    BELOW_BAR = ("BELOW_BAR", 1)
