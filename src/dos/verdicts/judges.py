"""Verdicts of the adjudication verbs: ``dos judge wedge`` (does the picker's "nothing
to do" hold up?) and ``dos judge-eval`` (did a judge clear a false claim?)."""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["JudgeEvalToken", "WedgeToken"]


class WedgeToken(VerdictToken):
    """DISAGREES: the records contradict the picker's stated cause (a picker bug).
    ABSTAINS: nothing on record can confirm or refute it; it exits 0, as agreement does."""

    AGREES = ("AGREES", 0)
    ABSTAINS = ("ABSTAINS", 0)
    DISAGREES = ("DISAGREES", 1)


class JudgeEvalToken(VerdictToken):
    """FALSE_CLEAR wins over BELOW_MIN_RATE: a cleared lie is the louder failure."""

    PASS = ("PASS", 0)
    FALSE_CLEAR = ("FALSE_CLEAR", 1)
    BELOW_MIN_RATE = ("BELOW_MIN_RATE", 1)
