"""Verdicts of the recovery verbs (``resume``, ``complete``, ``rewind``) and of ``reap``."""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["CompleteToken", "ReapToken", "ResumeToken", "RewindToken"]


class ResumeToken(VerdictToken):
    """Where a successor re-enters a run that stopped."""

    RESUMABLE = ("RESUMABLE", 0)
    COMPLETE = ("COMPLETE", 0)
    DIVERGED = ("DIVERGED", 3)
    UNRESUMABLE = ("UNRESUMABLE", 4)


class CompleteToken(VerdictToken):
    """Whether every declared step of a run is done, by git."""

    COMPLETE = ("COMPLETE", 0)
    INCOMPLETE = ("INCOMPLETE", 3)
    INDETERMINATE = ("INDETERMINATE", 4)
    UNDERDECLARED = ("UNDERDECLARED", 5)


class RewindToken(VerdictToken):
    """Whether to cut a run back to a checkpoint the store sealed."""

    REWIND = ("REWIND", 0)
    NO_REWIND = ("NO_REWIND", 0)
    UNANCHORED = ("UNANCHORED", 3)


class ReapToken(VerdictToken):
    """What housekeeping found: nothing dead, dead things ended, or (a dry run) dead
    things it would end."""

    CLEAN = ("CLEAN", 0)
    REAPED = ("REAPED", 0)
    WOULD_REAP = ("WOULD_REAP", 3)
