"""How an error becomes an HTTP answer: a usage mistake is 400, a row that is not
there 404, an unreadable store 503; each says what was wrong and how to fix it."""

from __future__ import annotations

from dos.errors import DosError, StoreError, UsageError

__all__ = ["NotFoundError", "status_of"]


class NotFoundError(UsageError):
    """The path names something that is not there (a decision no longer listed)."""


def status_of(error: DosError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, UsageError):
        return 400
    if isinstance(error, StoreError):
        return 503
    return 500  # a DosError without a class of its own: a bug, not the caller's fault
