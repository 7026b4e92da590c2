"""The verdict of ``dos refuse``: is a token a refusal reason the workspace names?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["RefuseToken"]


class RefuseToken(VerdictToken):
    """``dos refuse TOKEN``: is this a refusal reason in the workspace's vocabulary?"""

    REFUSAL = ("REFUSAL", 0)
    ADVISORY = ("ADVISORY", 1)
    UNCLASSIFIED = ("UNCLASSIFIED", 1)
