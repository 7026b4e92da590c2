"""Reading and compacting the ops journal (checking it: :mod:`dos.record.journal_verify`).

``fold_leases`` replays the journal into the leases it says are held. ``compact``
drops old records only up to a new anchor that stays on the chain, keeps the
cooldown's window, and records the held leases and the counters in its COMPACT record
so that what it dropped can still be checked against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dos import structs
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import StoreError, UsageError
from dos.store import StoreTx, reading, store_for
from dos.store.journal import JournalAnchor, JournalEntry, JournalRecord
from dos.structs import struct

if TYPE_CHECKING:
    from dos.record.journal_verify import VerifyReport

__all__ = [
    "CompactResult",
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


def _journaled_lease(raw: Any, seq: int) -> Lease:
    try:
        return Lease.from_dict(raw)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"journal record seq {seq} in the store is unreadable: it holds a "
                         f"malformed lease ({exc})",
                         hint="check the store with `dos journal verify`") from None


def fold_leases(stream: Iterable[JournalRecord],
                held: dict[int, Lease] | None = None) -> dict[int, Lease]:
    """The leases the journal says are held (unreleased), by lease id."""
    state = {} if held is None else held
    for record in stream:
        if record.op == "COMPACT":
            state.clear()
            kept = record.payload.get("leases", [])
            for raw in kept if isinstance(kept, list) else [kept]:
                lease = _journaled_lease(raw, record.seq)
                state[lease.lease_id] = lease
        elif record.op == "ACQUIRE" and isinstance(record.payload.get("lease"), dict):
            lease = _journaled_lease(record.payload["lease"], record.seq)
            state[lease.lease_id] = lease
        elif record.op in _ENDS and record.lease_id is not None:
            state.pop(record.lease_id, None)
        elif record.op == "HEARTBEAT" and record.lease_id in state:
            old = state[record.lease_id]
            renewed = record.payload.get("renewed_at_ms", record.ts_ms)
            if type(renewed) is not int:
                raise StoreError(f"journal record seq {record.seq} in the store is "
                                 f"unreadable: its renewed_at_ms is {renewed!r}",
                                 hint="check the store with `dos journal verify`")
            state[old.lease_id] = old.replace(renewed_at_ms=renewed)
    return state


def replay(config: SubstrateConfig) -> list[Lease]:
    """The held leases as the journal alone tells it (compare ``lane_lease.live_leases``)."""
    with reading(config) as tx:
        return [] if tx is None else sorted(fold_leases(records(tx)).values(),
                                            key=lambda lease: lease.lease_id)


def verify(config: SubstrateConfig, *, full: bool = False) -> VerifyReport:
    """Check the store, the journal's chain and head, and its agreement with the lease
    table and the counters (:mod:`dos.record.journal_verify`), from the last verified
    point on unless ``full``."""
    from dos.record.journal_verify import verify as verify_config

    return verify_config(config, full=full)


def __getattr__(name: str) -> object:
    if name == "VerifyReport":  # kept here for callers written before the split
        from dos.record.journal_verify import VerifyReport

        return VerifyReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@struct
class CompactResult:
    entries_before: int = 0
    entries_after: int = 0
    bytes_reclaimed: int = 0
    anchor_seq: int = 0
    dropped: int = 0
    kept_since_ms: int = 0
    verdicts_dropped: int = 0  # by [observe] keep_days (the verdict journal's own anchor)
    verdict_anchor_seq: int = 0

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
        "kept_since_ms": now - keep_ms, "counters": tx.counters(),
        "leases": [lease.to_dict() for lease in tx.unreleased_leases()]}))
    dropped = tx.drop_journal_through(new_anchor)
    tx.prune_leases(now - keep_ms)
    return CompactResult(before, tx.journal_count(), anchor_seq=new_anchor.seq,
                         dropped=dropped, kept_since_ms=now - keep_ms)


def compact(config: SubstrateConfig, *, keep_days: float | None = None) -> CompactResult:
    """Drop records older than the retention window, keeping the chain verifiable; and
    verdicts older than ``[observe] keep_days``, keeping theirs verifiable."""
    keep_ms = retention_ms(config, keep_days)
    store = store_for(config)
    try:
        if not store.exists():
            return CompactResult()
        from dos.record.verdict_retention import compact_verdicts
        from dos.record.verdict_retention import keep_days as verdict_days

        with store.transaction(write=True) as tx:
            result = _compact_in(tx, keep_ms)
            verdicts = compact_verdicts(tx, verdict_days(config))
        result = structs.replace(result, verdicts_dropped=verdicts.dropped,
                                     verdict_anchor_seq=verdicts.anchor_seq)
        if result.dropped or result.verdicts_dropped:
            result = structs.replace(result, bytes_reclaimed=store.reclaim_space())
        return result
    finally:
        store.close()
