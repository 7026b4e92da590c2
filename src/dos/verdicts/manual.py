"""The verdict of ``dos man``: does the manual have an entry for what was asked?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["ManToken"]


class ManToken(VerdictToken):
    """``dos man wedge|lane ID``: was the entry found? (a lane with only a tree is "named")"""

    FOUND = ("FOUND", 0)
    UNKNOWN = ("UNKNOWN", 1)
