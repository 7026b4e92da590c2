"""The verdict of ``dos memory recall`` and ``verify``: does a remembered note still hold?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["MemoryToken"]


class MemoryToken(VerdictToken):
    """``dos memory recall`` and ``verify`` exit alike: a sweep exits as its worst note."""

    FRESH = ("RECALL_FRESH", 0)
    UNVERIFIABLE = ("RECALL_UNVERIFIABLE", 0)
    STALE = ("RECALL_STALE", 3)
