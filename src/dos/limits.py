"""The ranges a number from outside must fit before dos computes with it or stores it.

Command-line flags (``dos.commands._args``), ``dos.toml`` values (``dos.settings``) and
numbers inside JSON arguments are all held to these, so a value one surface accepts
never crashes another: every bound leaves room for time arithmetic, for a date to be
printed, and for the 64-bit signed integers SQLite and PostgreSQL store.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from typing import TypeGuard

__all__ = [
    "MAX_COUNT",
    "MAX_EPOCH_MS",
    "MAX_ID",
    "MAX_LEASE_TTL_S",
    "MAX_MS",
    "MAX_PID",
    "MAX_SECONDS",
    "MAX_WORKERS",
    "UNIT_MAXIMA",
    "decimal_int",
    "fits_int",
    "fits_number",
    "is_finite",
    "span",
]

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL hold (lease ids, seqs)
MAX_COUNT = 10**15  # counts and amounts: below 2**53, so exact as a float as well
MAX_SECONDS = 100 * 365 * 86_400  # a century: the longest duration that means anything
MAX_MS = MAX_SECONDS * 1000
# 3000-01-01T00:00:00Z: a far-future clock still leaves a century of durations to add
# before a date stops printing (year 9999) or an integer stops fitting.
MAX_EPOCH_MS = 32_503_680_000_000
MAX_LEASE_TTL_S = 10 * 365 * 86_400  # longer is a mistake; the lease must still read back
MAX_PID = 2**31 - 1  # pid_t is a 32-bit signed integer
# Workers one roster may want: a plan lists each, so a typo of 10**15 must not build one.
MAX_WORKERS = 10_000

# The longest duration in each unit a setting or flag name ends with.
UNIT_MAXIMA: dict[str, float] = {
    "ms": MAX_MS, "s": MAX_SECONDS, "seconds": MAX_SECONDS, "minutes": MAX_SECONDS / 60,
    "hours": MAX_SECONDS / 3600, "days": MAX_SECONDS / 86_400,
}


def fits_int(value: object, low: int, high: int) -> TypeGuard[int]:
    """Whether ``value`` is an integer (not a bool) from ``low`` to ``high``."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def decimal_int(text: str, low: int, high: int) -> int | None:
    """``text`` as a plain decimal integer from ``low`` to ``high``, else None (never
    ValueError: ``"²"`` passes ``isdigit`` and a 5,000-digit number passes ``isdecimal``,
    yet ``int()`` refuses both)."""
    digits = text.strip()
    if not digits.removeprefix("-").isdecimal() or len(digits) > 40:
        return None
    value = int(digits)
    return value if low <= value <= high else None


def is_finite(value: float) -> bool:
    """``math.isfinite`` without loading the math extension (start-up time): ``x - x`` is
    0.0 for every finite float and NaN for an infinity or a NaN."""
    return value - value == 0.0


def fits_number(value: object, low: float, high: float, *, low_open: bool = False) -> bool:
    """Whether ``value`` is a finite int or float from ``low`` (exclusive when
    ``low_open``) to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not is_finite(value):
        return False
    above = value > low if low_open else value >= low
    return above and value <= high


def span(low: float, high: float, *, low_open: bool = False) -> str:
    """``from 0 to 10`` / ``more than 0 and at most 10``, for messages."""
    def shown(bound: float) -> str:
        return str(int(bound)) if float(bound).is_integer() else repr(bound)

    if low_open:
        return f"more than {shown(low)} and at most {shown(high)}"
    return f"from {shown(low)} to {shown(high)}"
