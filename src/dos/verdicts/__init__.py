"""Verdict enums: ``str`` tokens that carry their exit codes.

The base lives here; each family (``truth``, ``admission``, ``temporal``, ``ops``)
declares its enums in its own small module so that ``dos exit-codes`` imports
nothing heavier than :mod:`enum`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CONTRACT_ERROR", "VerdictToken"]

CONTRACT_ERROR = 2


class VerdictToken(StrEnum):
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
