"""Paths a user typed: ``~`` and ``~name`` expanded, and a home that cannot be found is the
user's mistake to fix (exit 2), not a crash."""

from __future__ import annotations

from pathlib import Path

from dos.errors import UsageError

__all__ = ["expand_user"]


def expand_user(text: str, *, what: str) -> Path:
    """``text`` as a path with a leading ``~`` or ``~name`` expanded; ``what`` names where
    it came from (``--store``, ``DOS_HOME``) in the error."""
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~name of a user the system does not know, or no HOME at all
        raise UsageError(f"{what} {text!r} starts with a home directory that cannot be found",
                         hint="write the path out in full, or fix the user name after ~ "
                              "(or HOME)") from None
