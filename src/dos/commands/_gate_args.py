"""Bounded numbers for the loop gates' flags: ``nan``, ``inf``, a 30-digit integer or a
negative count is exit 2 naming the flag and the range, never a crash deeper in.

(The same shape as ``dos.commands._args`` on the ``bounds`` branch; swap when it lands.)
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["count", "number"]


def _refuse(what: str, text: str) -> Exception:
    import argparse

    return argparse.ArgumentTypeError(f"must be {what}, got {text[:40]!r}")


def count(low: int = 0, high: int = 10**12) -> Callable[[str], int]:
    """An integer from ``low`` to ``high``."""
    def parse(text: str) -> int:
        what = f"an integer from {low} to {high}"
        if len(text) > 20:
            raise _refuse(what, text)
        try:
            value = int(text)
        except ValueError:
            raise _refuse(what, text) from None
        if not low <= value <= high:
            raise _refuse(what, text)
        return value
    return parse


def number(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """A finite number from ``low`` to ``high`` (``low`` excluded when ``low_open``)."""
    def parse(text: str) -> float:
        what = f"a number in {'(' if low_open else '['}{low:g}, {high:g}]"
        try:
            value = float(text)
        except ValueError:
            raise _refuse(what, text) from None
        above = value > low if low_open else value >= low
        if not (math.isfinite(value) and above and value <= high):
            raise _refuse(what, text)
        return value
    return parse
