"""The verdict of ``dos coverage``: did a fan-out fill the width declared up front?

``EMPTY`` stays in the contract for callers of the library fold; the CLI refuses
``--declared 0`` as a usage error.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["CoverageToken"]


class CoverageToken(VerdictToken):
    EMPTY = ("empty", 0)
    FULL = ("full", 0)
    OVERFILLED = ("overfilled", 3)
    STARVED = ("starved", 3)
    UNDERFILLED = ("underfilled", 3)
