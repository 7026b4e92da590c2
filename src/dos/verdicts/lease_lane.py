"""The verdict of ``dos lease-lane acquire``: was the lane taken, and if not, could the
store even answer?"""

from __future__ import annotations

from dos.errors import EXIT_STORE_BUSY, EXIT_STORE_UNREADABLE
from dos.verdicts import VerdictToken

__all__ = ["LeaseLaneToken"]


class LeaseLaneToken(VerdictToken):
    ACQUIRE = ("acquire", 0)
    REFUSE = ("refuse", 1)
    STORE_UNREADABLE = ("STORE_UNREADABLE", EXIT_STORE_UNREADABLE)
    STORE_BUSY = ("STORE_BUSY", EXIT_STORE_BUSY)
