"""Verdicts of the admission verbs (``arbitrate``, ``lease-lane``, ``scope-gate``)."""

from __future__ import annotations

from dos.errors import EXIT_STORE_BUSY, EXIT_STORE_UNREADABLE
from dos.verdicts import VerdictToken

__all__ = [
    "ArbitrateToken", "JournalToken", "LeaseLaneToken", "ManToken", "RefuseToken", "ScopeToken",
]


class ArbitrateToken(VerdictToken):
    ACQUIRE = ("acquire", 0)
    REFUSE = ("refuse", 1)
    STORE_UNREADABLE = ("STORE_UNREADABLE", EXIT_STORE_UNREADABLE)


class LeaseLaneToken(VerdictToken):
    ACQUIRE = ("acquire", 0)
    REFUSE = ("refuse", 1)
    STORE_UNREADABLE = ("STORE_UNREADABLE", EXIT_STORE_UNREADABLE)
    STORE_BUSY = ("STORE_BUSY", EXIT_STORE_BUSY)


class ScopeToken(VerdictToken):
    IN_SCOPE = ("IN_SCOPE", 0)
    SCOPE_CREEP = ("SCOPE_CREEP", 5)
    WRONG_TARGET = ("WRONG_TARGET", 6)


class RefuseToken(VerdictToken):
    """``dos refuse TOKEN``: is this a refusal reason in the workspace's vocabulary?"""

    REFUSAL = ("REFUSAL", 0)
    ADVISORY = ("ADVISORY", 1)
    UNCLASSIFIED = ("UNCLASSIFIED", 1)


class ManToken(VerdictToken):
    """``dos man wedge|lane ID``: was the entry found? (a lane with only a tree is "named")"""

    FOUND = ("FOUND", 0)
    UNKNOWN = ("UNKNOWN", 1)


class JournalToken(VerdictToken):
    """``dos journal verify``: is the hash chain (and the lease table it explains) intact?"""

    INTACT = ("INTACT", 0)
    BROKEN = ("BROKEN", 1)
