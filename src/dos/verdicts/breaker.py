"""The verdict of ``dos breaker``: after repeated failures, is retrying still allowed?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["BreakerToken"]


class BreakerToken(VerdictToken):
    CLOSED = ("CLOSED", 0)
    OPEN = ("OPEN", 3)
