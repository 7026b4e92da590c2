"""The verdict of ``dos commit-audit``: does a commit's subject claim what its diff shows?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["AuditToken"]


class AuditToken(VerdictToken):
    CLEAN = ("clean", 0)
    UNWITNESSED = ("unwitnessed", 1)
