"""Verdicts of the workspace verbs (``lint``, ``doctor --check``)."""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["DoctorVerdict", "LintVerdict", "ObserveToken"]


class LintVerdict(VerdictToken):
    CLEAN = ("CLEAN", 0)
    FINDINGS = ("FINDINGS", 1)


class DoctorVerdict(VerdictToken):
    HEALTHY = ("HEALTHY", 0)
    FINDINGS = ("FINDINGS", 1)


class ObserveToken(VerdictToken):
    """``dos observe``: does the verdict journal's chain hold?"""

    INTACT = ("INTACT", 0)
    BROKEN = ("BROKEN", 1)
