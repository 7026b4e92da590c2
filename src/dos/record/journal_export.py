"""The journal in the reference's JSONL record shape (``lane-journal.jsonl``).

Each record becomes the object the reference wrote for the same event, so its
readers replay the same live set: expiry and reaping become SCAVENGE, a
compaction becomes a CHECKPOINT carrying the leases held at that moment, and an
exclusive lane's ``lane_kind`` is its own name, which the reference treats as
exclusive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TextIO

from dos.admission.holder import iso_utc
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.record.journal_admin import records
from dos.store import reading
from dos.store.journal import JournalRecord

__all__ = ["export", "reference_line", "reference_record"]


def _lane_kind(lease: Lease, config: SubstrateConfig) -> str:
    if lease.exclusive_lane or config.lanes.is_exclusive(lease.lane):
        return (config.lanes.resolve(lease.lane) or lease.lane).casefold()
    return "cluster" if config.lanes.resolve(lease.lane) else "keyword"


def _ttl_minutes(ttl_ms: int) -> float | int:
    minutes = ttl_ms / 60_000
    return int(minutes) if minutes.is_integer() else minutes


def _lease_shape(raw: Mapping[str, Any], config: SubstrateConfig) -> dict[str, Any]:
    lease = Lease.from_dict(raw)
    shape = {"lane": lease.lane, "lane_kind": _lane_kind(lease, config),
             "tree": list(lease.tree), "loop_ts": lease.loop_ts, "host_id": lease.host_id,
             "pid": lease.pid, "holder": lease.holder,
             "acquired_at": iso_utc(lease.acquired_at_ms),
             "heartbeat_at": iso_utc(lease.renewed_at_ms),
             "ttl_minutes": _ttl_minutes(lease.ttl_ms)}
    if lease.run_id:
        shape["run_id"] = lease.run_id
    return shape


def _acquire(record: JournalRecord, config: SubstrateConfig) -> dict[str, Any]:
    lease = _lease_shape(record.payload.get("lease", {}), config)
    nested = {key: lease[key] for key in ("lane", "lane_kind", "tree", "loop_ts", "host_id",
                                          "pid", "holder", "acquired_at", "run_id")
              if key in lease}
    return {"op": "ACQUIRE", "lane": lease["lane"], "lane_kind": lease["lane_kind"],
            "tree": lease["tree"], "loop_ts": lease["loop_ts"], "host_id": lease["host_id"],
            "pid": lease["pid"], "ttl_minutes": lease["ttl_minutes"], "prev_holder": None,
            "reason": f"lane-lease:{record.holder}", "lease": nested}


def _ended(record: JournalRecord, pay: Mapping[str, Any]) -> dict[str, Any]:
    return {"op": "SCAVENGE", "pid": pay.get("pid"), "prev_holder": record.holder,
            "reason": f"{record.op.lower()}: {pay.get('reason', '')}"}


def _spawn(record: JournalRecord, pay: Mapping[str, Any]) -> dict[str, Any]:
    shape = {"op": "SPAWN", "holder": record.holder, "pid": pay.get("pid"),
             "reason": pay.get("reason", "")}
    return {**shape, "run_id": record.run_id} if record.run_id else shape


# op → the reference's fields beyond (lane, loop_ts, host_id).
_SHAPERS: dict[str, Any] = {
    "RELEASE": lambda _record, pay: {"op": "RELEASE", "reason": pay.get("reason", "")},
    "HEARTBEAT": lambda record, pay: {
        "op": "HEARTBEAT",
        "heartbeat_at": iso_utc(int(pay.get("renewed_at_ms", record.ts_ms)))},
    "EXPIRE": _ended, "REAP": _ended, "SCAVENGE": _ended,
    "REFUSE": lambda record, pay: {
        "op": "REFUSE", "run_id": record.run_id, "holder": record.holder,
        "reason": pay.get("reason", ""), "reason_class": pay.get("reason_class", "")},
    "HALT": lambda record, pay: {
        "op": "HALT", "handle": pay.get("handle", ""), "run_id": record.run_id,
        "command": pay.get("command"), "reason": pay.get("reason", "")},
    "SPAWN": _spawn,
}


def _shape(record: JournalRecord, config: SubstrateConfig) -> dict[str, Any]:
    if record.op == "ACQUIRE":
        return _acquire(record, config)
    shaper = _SHAPERS.get(record.op)
    if shaper is not None:
        ident = {"lane": record.lane, "loop_ts": record.loop_ts,
                 "host_id": record.payload.get("host_id")}
        return {**ident, **shaper(record, record.payload)}
    generic = {"op": record.op, "lane": record.lane, "holder": record.holder,
               "run_id": record.run_id, "loop_ts": record.loop_ts, **record.payload}
    return {key: value for key, value in generic.items() if value not in ("", None)}


def reference_record(record: JournalRecord, config: SubstrateConfig) -> dict[str, Any]:
    """One journal record as the reference's lane-journal object."""
    if record.op == "COMPACT":
        leases = [_lease_shape(raw, config) for raw in record.payload.get("leases", [])]
        return {"op": "CHECKPOINT", "leases": leases, "seq_watermark": record.seq}
    shaped = _shape(record, config)
    shaped.update(seq=record.seq, ts=iso_utc(record.ts_ms))
    if record.lease_id is not None:
        shaped["lease_id"] = record.lease_id
    return shaped


def reference_line(record: JournalRecord, config: SubstrateConfig) -> str:
    """The reference's serialisation: keys sorted, default separators, UTF-8 literal."""
    return json.dumps(reference_record(record, config), sort_keys=True, ensure_ascii=False,
                      default=str)


def export(config: SubstrateConfig, stream: TextIO, *, after_seq: int = 0) -> int:
    """Write every record after ``after_seq`` as reference JSONL; returns the count."""
    count = 0
    with reading(config) as tx:
        if tx is None:
            return 0
        for record in records(tx, after_seq=after_seq):
            stream.write(reference_line(record, config) + "\n")
            count += 1
    return count
