"""How an attempt at a unit ended, as ``dos lease-lane release --outcome`` records it.

Its own module: the release verb's flags name these before anything reads the ledger."""

from __future__ import annotations

__all__ = ["OUTCOMES"]

OUTCOMES = ("shipped", "drained", "blocked", "error", "abandoned")
