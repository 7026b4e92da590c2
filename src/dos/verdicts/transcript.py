"""The verdict of ``dos verify-result``: did a sub-agent's transcript end in a real answer?

``UNREADABLE`` exits 4, not 0: "could not look" must never read as "healthy" to a shell
step.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["ResultToken"]


class ResultToken(VerdictToken):
    HEALTHY = ("healthy", 0)
    DEAD = ("dead", 3)
    UNREADABLE = ("unreadable", 4)
