"""The verdict of ``dos scope-gate``: are the touched files inside the lane's tree?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["ScopeToken"]


class ScopeToken(VerdictToken):
    IN_SCOPE = ("IN_SCOPE", 0)
    SCOPE_CREEP = ("SCOPE_CREEP", 5)
    WRONG_TARGET = ("WRONG_TARGET", 6)
