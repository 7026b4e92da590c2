"""The verdict of ``dos efficiency``: did a run's spend buy work?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["EfficiencyToken"]


class EfficiencyToken(VerdictToken):
    EFFICIENT = ("EFFICIENT", 0)
    COSTLY = ("COSTLY", 3)
    WASTEFUL = ("WASTEFUL", 4)
