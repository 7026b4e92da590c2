"""What ``dos loop`` found about its fleet: its outcome words, not a verdict."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["SuperviseOutcome"]


class SuperviseOutcome(StrEnum):
    """What ``dos loop`` found; not a verdict: ``loop`` exits 0 on every normal path."""

    FILLING = "FILLING"
    AT_TARGET = "AT_TARGET"
    TARGET_UNREACHABLE = "TARGET_UNREACHABLE"
    OVER_TARGET = "OVER_TARGET"
