"""The live lease set, read from the store: the one read every hook call makes, and a
request's tree as the arbiter sees it.

:func:`live_leases` and :func:`resolved_tree` are exported by
:mod:`dos.admission.lane_lease`; they live here so that a read (``dos arbitrate``, the
hook) imports none of the write machinery (the journal, its hashing, the store's rows).
"""

from __future__ import annotations

import os

from dos.store import read_transaction, store_for

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from dos.admission.lease import Lease, LeaseRequest
    from dos.config import SubstrateConfig
    from dos.store import Store

__all__ = ["live_leases", "live_leases_in", "resolved_tree"]


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


def resolved_tree(request: LeaseRequest, config: SubstrateConfig) -> tuple[str, ...]:
    """The request's tree relative to the workspace, absolute globs resolved through
    symlinks on disk (which the pure arbiter never reads)."""
    from dos.admission.tree import normalize_tree

    if not request.tree:
        return ()
    return normalize_tree(request.tree, config.root, resolve=os.path.realpath)
