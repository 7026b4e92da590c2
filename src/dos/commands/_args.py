"""Bounded numbers for argparse: every numeric flag and positional of every verb is
parsed by one of these factories, so ``nan``, ``inf``, ``1e308``, a 30-digit integer or
a negative count is exit 2 naming the flag and the accepted range, not a crash deeper in.
"""

from __future__ import annotations

from dos.errors import UsageError
from dos.limits import (
    MAX_COUNT,
    MAX_EPOCH_MS,
    MAX_ID,
    MAX_MS,
    MAX_PID,
    MAX_SECONDS,
    fits_int,
    fits_number,
    span,
)

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["count", "duration_ms", "epoch_ms", "identifier", "number", "pid", "seconds",
           "too_long_path"]

_SHOWN = 40  # characters of a rejected value repeated in the message


def _refuse(what: str, text: str) -> Exception:
    import argparse  # the CLI has it loaded already; importing it here costs nothing

    shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
    return argparse.ArgumentTypeError(f"must be {what}, got {shown!r}")


def _integer(what: str, low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # not digits, or more digits than int() will read
            raise _refuse(f"{what} {span(low, high)}", text) from None
        if not fits_int(value, low, high):
            raise _refuse(f"{what} {span(low, high)}", text)
        return value
    return parse


def _real(what: str, low: float, high: float, low_open: bool) -> Callable[[str], float]:
    accepted = f"{what} {span(low, high, low_open=low_open)}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise _refuse(accepted, text) from None
        if not fits_number(value, low, high, low_open=low_open):  # nan and inf fail too
            raise _refuse(accepted, text)
        return value
    return parse


def count(low: int = 0, high: int = MAX_COUNT) -> Callable[[str], int]:
    """An integer count or amount from ``low`` to ``high``."""
    return _integer("an integer", low, high)


def identifier(low: int = 1) -> Callable[[str], int]:
    """A store-assigned number (lease id, journal seq): it fits a 64-bit integer."""
    return _integer("an integer", low, MAX_ID)


def pid() -> Callable[[str], int]:
    """A process id: 0 and negatives name process groups, never one process."""
    return _integer("a process id", 1, MAX_PID)


def epoch_ms() -> Callable[[str], int]:
    """A point in time, in milliseconds since 1970, before the year 3000."""
    return _integer("an epoch-ms time", 0, MAX_EPOCH_MS)


def duration_ms(low: int = 0, high: int = MAX_MS) -> Callable[[str], int]:
    """A length of time in whole milliseconds (at most a century by default)."""
    return _integer("a number of milliseconds", low, high)


def seconds(low: float = 0.0, high: float = MAX_SECONDS, *,
            low_open: bool = False) -> Callable[[str], float]:
    """A finite length of time in seconds (at most a century by default)."""
    return _real("a number of seconds", low, high, low_open)


def number(low: float, high: float, *, what: str = "a number",
           low_open: bool = False) -> Callable[[str], float]:
    """A finite number from ``low`` to ``high`` (a ratio, a fraction, days)."""
    return _real(what, low, high, low_open)


def too_long_path(error: OSError, argv: list[str]) -> UsageError | None:
    """A usage error when ``error`` is ENAMETOOLONG for a path an argument (or
    ``DISPATCH_WORKSPACE``) gave; None for any other error, so a name dos built itself
    (inside the store, say) is never blamed on the user."""
    import errno
    import os

    name = error.filename
    if error.errno != errno.ENAMETOOLONG or not isinstance(name, str | bytes):
        return None
    failed = os.fsdecode(name)
    sources = [(argv[i - 1] if i and argv[i - 1].startswith("--") else "", arg)
               for i, arg in enumerate(argv)]
    sources.append(("DISPATCH_WORKSPACE", os.environ.get("DISPATCH_WORKSPACE", "")))
    for flag, arg in sources:
        given, eq, value = arg.partition("=")
        source, text = (given, value) if eq and given.startswith("--") else (flag, arg)
        if any(part in failed for part in _long_parts(text)):
            where = f"the path given to {source}" if source else f"the path {text[:40]!r}…"
            return UsageError(f"{where} is too long for the file system ({len(text)} "
                              "characters)", hint="use a shorter path: each name at most "
                              "255 bytes, the whole path at most 4095")
    return None


def _long_parts(text: str) -> list[str]:
    """The pieces of ``text`` that make a path too long: the whole of a long text, and
    any name in it longer than a file system allows (255 bytes)."""
    import os.path

    parts = [part for part in text.split("/") if len(part.encode("utf-8", "replace")) > 255]
    # normpath: the failing name is resolved, without "./", "//" or a trailing "/"
    return [os.path.normpath(text), *parts] if len(text) > 255 else parts
