"""The verdict of ``dos journal verify``: does the journal's hash chain hold?"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["JournalToken"]


class JournalToken(VerdictToken):
    """``dos journal verify``: is the hash chain (and the lease table it explains) intact?"""

    INTACT = ("INTACT", 0)
    BROKEN = ("BROKEN", 1)
