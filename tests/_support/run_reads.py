"""One journal of many runs and leases, and the reads of one run's records that must come
from the run-id and lease-id indexes, shared by the SQLite and PostgreSQL plan tests."""

from __future__ import annotations

from collections.abc import Callable

from dos.store import StoreTx
from dos.store.journal import JournalEntry

__all__ = ["RUN", "RUN_READS", "run_journal"]

RUN = "RID-7"


def run_journal() -> list[JournalEntry]:
    """3,000 records of 100 runs and 50 leases (a third name neither)."""
    return [JournalEntry(("HEARTBEAT", "SPAWN", "ATTEMPT")[seq % 3], lane="src",
                         run_id=f"RID-{seq % 100}" if seq % 3 else "",
                         lease_id=seq % 50 + 1 if seq % 3 != 1 else None)
            for seq in range(3000)]


# Each read, and the indexes ("run", "lease") its plan must use.
RUN_READS: list[tuple[Callable[[StoreTx], object], tuple[str, ...]]] = [
    (lambda tx: tx.run_records(RUN, lease_ids=[3, 9]), ("run", "lease")),
    (lambda tx: tx.run_records(RUN, lease_ids=[3], op="SPAWN", since_ms=900, after_seq=40),
     ("run", "lease")),
    (lambda tx: tx.run_records(RUN, op="SPAWN"), ("run",)),
    (lambda tx: tx.run_records("", lease_ids=[3]), ("lease",)),
    (lambda tx: tx.run_in_journal(RUN), ("run",)),
]
