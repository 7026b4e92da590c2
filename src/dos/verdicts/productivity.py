"""The verdict of ``dos productivity``: do a run's recent steps still land work?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["ProductivityToken"]


class ProductivityToken(VerdictToken):
    PRODUCTIVE = ("PRODUCTIVE", 0)
    DIMINISHING = ("DIMINISHING", 3)
    STALLED = ("STALLED", 4)
