"""Column lists shared by every store backend (decoding lives in :mod:`dos.store.cells`)."""

from __future__ import annotations

__all__ = ["ATTEMPT_COLUMNS", "INTENT_COLUMNS", "JOURNAL_COLUMNS", "LEASE_COLUMNS",
           "VERDICT_COLUMNS"]

LEASE_COLUMNS = (
    "lease_id", "lane", "tree", "holder", "exclusive_lane", "mode", "host_id", "pid",
    "run_id", "loop_ts", "acquired_at_ms", "renewed_at_ms", "ttl_ms", "released_at_ms",
    "release_kind", "start_sha",
)
JOURNAL_COLUMNS = ("seq, ts_ms, op, lane, holder, run_id, loop_ts, lease_id, payload, "
                   "prev_hash, hash")
VERDICT_COLUMNS = ("seq, ts_ms, syscall, verdict, subject, run_id, lane, source, detail, "
                   "prev_hash, hash")
ATTEMPT_COLUMNS = "seq, unit_id, outcome, lane, run_id, holder, attempted_at_ms, detail"
INTENT_COLUMNS = "run_id, seq, kind, step, commit_sha, ts_ms, payload, prev_hash, hash"
