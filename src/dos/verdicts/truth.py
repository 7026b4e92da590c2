"""Verdicts of the truth verbs (``verify``, ``commit-audit``, ``verify-result``, ``coverage``,
``memory``).

``ResultToken.UNREADABLE`` exits 4, not 0: "could not look" must never read as
"healthy" to a shell step. ``CoverageToken.EMPTY`` stays in the contract for
callers of the library fold; the CLI refuses ``--declared 0`` as a usage error.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["AuditToken", "CoverageToken", "MemoryToken", "ResultToken", "ShipToken"]


class ShipToken(VerdictToken):
    SHIPPED = ("shipped", 0)
    NOT_SHIPPED = ("not_shipped", 1)


class AuditToken(VerdictToken):
    CLEAN = ("clean", 0)
    UNWITNESSED = ("unwitnessed", 1)


class ResultToken(VerdictToken):
    HEALTHY = ("healthy", 0)
    DEAD = ("dead", 3)
    UNREADABLE = ("unreadable", 4)


class CoverageToken(VerdictToken):
    EMPTY = ("empty", 0)
    FULL = ("full", 0)
    OVERFILLED = ("overfilled", 3)
    STARVED = ("starved", 3)
    UNDERFILLED = ("underfilled", 3)


class MemoryToken(VerdictToken):
    """``dos memory recall`` and ``verify`` exit alike: a sweep exits as its worst note."""

    FRESH = ("RECALL_FRESH", 0)
    UNVERIFIABLE = ("RECALL_UNVERIFIABLE", 0)
    STALE = ("RECALL_STALE", 3)
