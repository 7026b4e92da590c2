"""The live lease set, read from the store: the one read every hook call makes.

:func:`live_leases` is exported by :mod:`dos.admission.lane_lease`; it lives here so that a
read imports none of the write machinery (the arbiter, the journal's hashing).
"""

from __future__ import annotations

from dos.store import read_transaction, store_for

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from dos.admission.lease import Lease
    from dos.config import SubstrateConfig
    from dos.store import Store

__all__ = ["live_leases", "live_leases_in"]


def live_leases(config: SubstrateConfig, now_ms: int | None = None) -> list[Lease]:
    """The leases live now by the store's clock (or ``now_ms``). Reads never create
    the store: no store means no leases. An unreadable store raises StoreError."""
    return live_leases_in(store_for(config), now_ms)


def live_leases_in(store: Store, now_ms: int | None = None) -> list[Lease]:
    """:func:`live_leases` of an already opened ``store`` (closed afterwards)."""
    with read_transaction(store) as tx:
        if tx is None:
            return []
        now = tx.now_ms() if now_ms is None else now_ms
        return [lease for lease in tx.unreleased_leases() if lease.is_live(now)]
