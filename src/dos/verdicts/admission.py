"""Verdicts of the admission verbs (``arbitrate``, ``lease-lane``, ``scope-gate``)."""

from __future__ import annotations

from dos.errors import EXIT_STORE_BUSY, EXIT_STORE_UNREADABLE
from dos.verdicts import VerdictToken

__all__ = ["ArbitrateToken", "LeaseLaneToken", "ScopeToken"]


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
