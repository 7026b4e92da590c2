"""Verdict enums: ``str`` tokens that carry their exit codes.

The base lives here; each family (``truth``, ``admission``, ``temporal``, ``ops``)
declares its enums in its own small module so that ``dos exit-codes`` imports
nothing heavier than the token class (:mod:`dos.verdicts._token_class`, which behaves as
:class:`enum.StrEnum` without importing :mod:`enum`). Building a family costs start-up
time, so the
short verbs' families (``admission``, ``truth``, ``temporal``) keep only the enums those
verbs decide with; the rest live in modules of their own (``scope``, ``coverage``, ...)
and the family still answers for them, through :func:`moved`.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from enum import StrEnum as _TokenBase
else:  # the same behaviour without importing enum (see dos.verdicts._token_class)
    from dos.verdicts._token_class import TokenBase as _TokenBase

__all__ = ["CONTRACT_ERROR", "VerdictToken", "moved"]

CONTRACT_ERROR = 2


class VerdictToken(_TokenBase):
    """A verdict token whose exit code is declared beside it.

    Subclasses list members as ``NAME = ("TOKEN", exit_code)``; ``dos.exitcodes``
    names the verb each enum decides.
    """

    exit_code: int

    def __new__(cls, token: str, exit_code: int) -> VerdictToken:
        member = str.__new__(cls, token)
        member._value_ = token
        member.exit_code = exit_code
        return member

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def contract(cls, unknown_floor: int | None = None) -> dict[str, int]:
        """Token → exit code, with ``contract_error`` and an optional unknown floor."""
        table = {member.value: member.exit_code for member in cls}
        table["contract_error"] = CONTRACT_ERROR
        if unknown_floor is not None:
            table["unknown"] = unknown_floor
        return dict(sorted(table.items()))


def moved(family: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """The ``__getattr__`` (PEP 562) of a family module whose enums ``homes`` maps to the
    modules they moved to: an old import path still gives the same class, and the class
    is built only when something asks for it."""

    def __getattr__(name: str) -> object:  # noqa: N807 - the module hook's own name
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {family!r} has no attribute {name!r}")
        __import__(home)
        value = getattr(sys.modules[home], name)
        setattr(sys.modules[family], name, value)  # asked once: later lookups skip this
        return value

    return __getattr__
