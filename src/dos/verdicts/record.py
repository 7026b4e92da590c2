"""Verdicts of the record verbs (``export``, ``notify``): did the transport take it?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["ExportToken", "NotifyToken"]


class ExportToken(VerdictToken):
    """``dos export``: 1 only when a real transport failed to take pending events."""

    EXPORTED = ("EXPORTED", 0)
    NOTHING_PENDING = ("NOTHING_PENDING", 0)
    DRY_RUN = ("DRY_RUN", 0)
    NULL_SINK = ("NULL_SINK", 0)
    NOT_EXPORTED = ("NOT_EXPORTED", 1)


class NotifyToken(VerdictToken):
    """``dos notify``: 1 only when a real notifier failed to deliver."""

    DELIVERED = ("DELIVERED", 0)
    DRY_RUN = ("DRY_RUN", 0)
    NULL_SINK = ("NULL_SINK", 0)
    NOT_DELIVERED = ("NOT_DELIVERED", 1)
