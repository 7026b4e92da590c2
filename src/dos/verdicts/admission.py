"""The verdict of ``dos arbitrate`` (and of the admission under ``lease-lane acquire``).

The family's other verdicts each have a module of their own, so that a verb builds only
the enums it decides with: ``lease_lane``, ``scope`` (``scope-gate``), ``refusal``
(``refuse``), ``manual`` (``man``), ``journal`` (``journal verify``). Importing them from
here still works.
"""

from __future__ import annotations

from dos.errors import EXIT_STORE_UNREADABLE
from dos.verdicts import VerdictToken, moved

TYPE_CHECKING = False  # the moved enums are imported on first use, not here
if TYPE_CHECKING:
    from dos.verdicts.journal import JournalToken
    from dos.verdicts.lease_lane import LeaseLaneToken
    from dos.verdicts.manual import ManToken
    from dos.verdicts.refusal import RefuseToken
    from dos.verdicts.scope import ScopeToken

__all__ = [
    "ArbitrateToken", "JournalToken", "LeaseLaneToken", "ManToken", "RefuseToken", "ScopeToken",
]


class ArbitrateToken(VerdictToken):
    ACQUIRE = ("acquire", 0)
    REFUSE = ("refuse", 1)
    STORE_UNREADABLE = ("STORE_UNREADABLE", EXIT_STORE_UNREADABLE)


__getattr__ = moved(__name__, {
    "JournalToken": "dos.verdicts.journal",
    "LeaseLaneToken": "dos.verdicts.lease_lane",
    "ManToken": "dos.verdicts.manual",
    "RefuseToken": "dos.verdicts.refusal",
    "ScopeToken": "dos.verdicts.scope",
})
