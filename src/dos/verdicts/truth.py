"""The verdict of ``dos verify``: did the unit ship?

The truth family's other verdicts each have a module of their own, so that ``verify``
builds only the enum it decides with: ``audit`` (``commit-audit``), ``transcript``
(``verify-result``), ``coverage``, ``memory``. Importing them from here still works.
"""

from __future__ import annotations

from dos.verdicts import VerdictToken, moved

TYPE_CHECKING = False  # the moved enums are imported on first use, not here
if TYPE_CHECKING:
    from dos.verdicts.audit import AuditToken
    from dos.verdicts.coverage import CoverageToken
    from dos.verdicts.memory import MemoryToken
    from dos.verdicts.transcript import ResultToken

__all__ = ["AuditToken", "CoverageToken", "MemoryToken", "ResultToken", "ShipToken"]


class ShipToken(VerdictToken):
    SHIPPED = ("shipped", 0)
    NOT_SHIPPED = ("not_shipped", 1)


__getattr__ = moved(__name__, {
    "AuditToken": "dos.verdicts.audit",
    "CoverageToken": "dos.verdicts.coverage",
    "MemoryToken": "dos.verdicts.memory",
    "ResultToken": "dos.verdicts.transcript",
})
