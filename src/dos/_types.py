"""``cast`` without importing ``typing`` at run time, where start-up time counts."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import cast as cast  # noqa: PLC0414 - the explicit re-export mypy wants
else:
    def cast(_type, value):  # what typing.cast does at run time: nothing
        return value

__all__ = ["cast"]
