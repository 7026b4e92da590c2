"""Reading, checking and compacting the ops journal.

``verify`` walks the hash chain from the compaction anchor (or genesis), checks
the anchor is witnessed by a COMPACT record, runs the backend's own consistency
check, and folds the journal into the leases it says are held — which must be
exactly the lease table's unreleased rows. ``compact`` drops old records only up
to a new anchor that stays on the chain, and keeps the cooldown's window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.store import StoreTx, reading, store_for
from dos.store.journal import ChainReport, JournalAnchor, JournalEntry, JournalRecord, check_chain

__all__ = [
    "CompactResult",
    "VerifyReport",
    "compact",
    "fold_leases",
    "head_seq",
    "records",
    "replay",
    "retention_ms",
    "tail",
    "verify",
]

_BATCH = 5000
_HOUR_MS = 3_600_000
_DAY_MS = 24 * _HOUR_MS
_ENDS = ("RELEASE", "EXPIRE", "REAP", "SCAVENGE")


def records(tx: StoreTx, *, after_seq: int = 0) -> Iterator[JournalRecord]:
    """Every record after ``after_seq``, in seq order, read in batches."""
    while True:
        batch = tx.journal_records(after_seq=after_seq, limit=_BATCH)
        yield from batch
        if len(batch) < _BATCH:
            return
        after_seq = batch[-1].seq


def tail(config: SubstrateConfig, count: int = 20) -> list[JournalRecord]:
    """The last ``count`` records, oldest first (all of them when ``count`` <= 0)."""
    with reading(config) as tx:
        if tx is None:
            return []
        if count <= 0:
            return list(records(tx))
        return list(reversed(tx.journal_records(limit=count, newest_first=True)))


def head_seq(config: SubstrateConfig) -> int:
    """The seq of the newest record (0 for an empty or missing journal)."""
    with reading(config) as tx:
        newest = [] if tx is None else tx.journal_records(limit=1, newest_first=True)
        if newest:
            return newest[0].seq
        anchor = None if tx is None else tx.journal_anchor()
        return anchor.seq if anchor else 0


def fold_leases(stream: Iterable[JournalRecord],
                held: dict[int, Lease] | None = None) -> dict[int, Lease]:
    """The leases the journal says are held (unreleased), by lease id."""
    state = {} if held is None else held
    for record in stream:
        if record.op == "COMPACT":
            state.clear()
            for raw in record.payload.get("leases", []):
                lease = Lease.from_dict(raw)
                state[lease.lease_id] = lease
        elif record.op == "ACQUIRE" and isinstance(record.payload.get("lease"), dict):
            lease = Lease.from_dict(record.payload["lease"])
            state[lease.lease_id] = lease
        elif record.op in _ENDS and record.lease_id is not None:
            state.pop(record.lease_id, None)
        elif record.op == "HEARTBEAT" and record.lease_id in state:
            old = state[record.lease_id]
            renewed = int(record.payload.get("renewed_at_ms", record.ts_ms))
            state[old.lease_id] = old.replace(renewed_at_ms=renewed)
    return state


def replay(config: SubstrateConfig) -> list[Lease]:
    """The held leases as the journal alone tells it (compare ``lane_lease.live_leases``)."""
    with reading(config) as tx:
        return [] if tx is None else sorted(fold_leases(records(tx)).values(),
                                            key=lambda lease: lease.lease_id)


@dataclass
class VerifyReport:
    chain: ChainReport
    anchor_seq: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_dict(self) -> dict[str, Any]:
        problems = ([self.chain.problem] if self.chain.problem else []) + self.problems
        return {"ok": self.ok, "records": self.chain.records, "head_seq": self.chain.head_seq,
                "head_hash": self.chain.head_hash, "anchor_seq": self.anchor_seq,
                "first_bad_seq": self.chain.first_bad_seq, "problems": problems}


def _lease_key(lease: Lease) -> tuple[Any, ...]:
    return (lease.lane, lease.holder, tuple(lease.tree), lease.renewed_at_ms, lease.ttl_ms)


def _check_leases(held: dict[int, Lease], table: list[Lease]) -> list[str]:
    rows = {lease.lease_id: lease for lease in table}
    problems = [f"lease #{i} is held in the lease table but not in the journal"
                for i in sorted(set(rows) - set(held))]
    problems += [f"lease #{i} is held in the journal but not in the lease table"
                 for i in sorted(set(held) - set(rows))]
    problems += [f"lease #{i} differs between the journal and the lease table"
                 for i in sorted(set(rows) & set(held))
                 if _lease_key(rows[i]) != _lease_key(held[i])]
    return problems


def _walk(tx: StoreTx, report: VerifyReport, anchor: JournalAnchor | None) -> None:
    held: dict[int, Lease] = {}
    witnessed = anchor is None
    for record in records(tx, after_seq=anchor.seq if anchor else 0):
        check_chain([record], report=report.chain)
        if not report.chain.ok:
            return
        fold_leases([record], held)
        if anchor and record.op == "COMPACT" and record.payload.get("anchor_seq") == anchor.seq:
            witnessed = witnessed or record.payload.get("anchor_hash") == anchor.hash
    if not witnessed:
        report.problems.append(f"the compaction anchor at seq {anchor.seq if anchor else 0} "
                               "is not witnessed by a COMPACT record on the chain")
    report.problems += _check_leases(held, tx.unreleased_leases())


def verify(config: SubstrateConfig) -> VerifyReport:
    """Check the store's consistency, the journal's hash chain and its agreement with
    the lease table. Reads only."""
    store = store_for(config)
    try:
        if not store.exists():
            return VerifyReport(ChainReport())
        problems = [f"database check: {text}" for text in store.integrity_problems()]
        with store.transaction(write=False) as tx:
            anchor = tx.journal_anchor()
            report = VerifyReport(check_chain([], anchor=anchor), anchor.seq if anchor else 0,
                                  problems)
            _walk(tx, report, anchor)
        return report
    finally:
        store.close()


@dataclass(frozen=True)
class CompactResult:
    entries_before: int = 0
    entries_after: int = 0
    bytes_reclaimed: int = 0
    anchor_seq: int = 0
    dropped: int = 0
    kept_since_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def retention_ms(config: SubstrateConfig, keep_days: float | None = None) -> int:
    """How much history compaction keeps: ``keep_days`` or ``[retention]
    journal_max_age_days``, never less than the cooldown window."""
    if keep_days is not None and keep_days < 0:
        raise UsageError(f"--keep-days must be >= 0, got {keep_days}")
    days = keep_days if keep_days is not None else \
        float(config.table("retention").get("journal_max_age_days") or 30.0)
    cooldown = config.table("cooldown")
    window = cooldown.get("window_ms") or (cooldown.get("window_hours") or 6.0) * _HOUR_MS
    return int(max(days * _DAY_MS, float(window)))


def _compact_in(tx: StoreTx, keep_ms: int) -> CompactResult:
    now = tx.now_ms()
    before = tx.journal_count()
    recent = tx.journal_records(since_ms=now - keep_ms, limit=1)
    newest = tx.journal_records(limit=1, newest_first=True)
    last_old = recent[0].seq - 1 if recent else (newest[0].seq if newest else 0)
    anchor = tx.journal_anchor()
    if last_old <= (anchor.seq if anchor else 0):
        return CompactResult(before, before, kept_since_ms=now - keep_ms,
                             anchor_seq=anchor.seq if anchor else 0)
    edge = tx.journal_records(after_seq=last_old - 1, limit=1)[0]
    new_anchor = JournalAnchor(seq=edge.seq, hash=edge.hash)
    tx.append(JournalEntry("COMPACT", payload={
        "anchor_seq": new_anchor.seq, "anchor_hash": new_anchor.hash,
        "kept_since_ms": now - keep_ms,
        "leases": [lease.to_dict() for lease in tx.unreleased_leases()]}))
    dropped = tx.drop_journal_through(new_anchor)
    tx.prune_leases(now - keep_ms)
    return CompactResult(before, tx.journal_count(), anchor_seq=new_anchor.seq,
                         dropped=dropped, kept_since_ms=now - keep_ms)


def compact(config: SubstrateConfig, *, keep_days: float | None = None) -> CompactResult:
    """Drop records older than the retention window, keeping the chain verifiable."""
    keep_ms = retention_ms(config, keep_days)
    store = store_for(config)
    try:
        if not store.exists():
            return CompactResult()
        with store.transaction(write=True) as tx:
            result = _compact_in(tx, keep_ms)
        if result.dropped:
            result = dataclasses.replace(result, bytes_reclaimed=store.reclaim_space())
        return result
    finally:
        store.close()
