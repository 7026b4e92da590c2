"""Column lists and row decoding shared by every store backend."""

from __future__ import annotations

from dos import _fastjson as jsonc

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from dos.store.journal import JournalRecord

__all__ = ["JOURNAL_COLUMNS", "LEASE_COLUMNS", "record_from_row"]

LEASE_COLUMNS = (
    "lease_id", "lane", "tree", "holder", "exclusive_lane", "mode", "host_id", "pid",
    "run_id", "loop_ts", "acquired_at_ms", "renewed_at_ms", "ttl_ms", "released_at_ms",
    "release_kind", "start_sha",
)
JOURNAL_COLUMNS = ("seq, ts_ms, op, lane, holder, run_id, loop_ts, lease_id, payload, "
                   "prev_hash, hash")


def record_from_row(row: Sequence[Any]) -> JournalRecord:
    """A journal row (in :data:`JOURNAL_COLUMNS` order) as a record.

    An unreadable payload keeps its raw text, so the hash check names the record as
    altered instead of the read failing.
    """
    from dos.store.journal import JournalRecord

    try:
        payload = jsonc.loads(row[8])
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        payload = {"_unreadable": str(row[8])}
    return JournalRecord(
        seq=row[0], ts_ms=row[1], op=row[2], lane=row[3], holder=row[4], run_id=row[5],
        loop_ts=row[6], lease_id=row[7], payload=payload, prev_hash=row[9], hash=row[10])
