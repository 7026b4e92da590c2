"""Copy a workspace's whole history from one store to another (``dos store copy``).

The journal and the verdict journal are copied record for record (seq, stamps and
hashes unchanged) after their compaction anchors, so both chains verify at the
destination; leases keep their ids (fencing tokens), and counters, memory, attempts
and every run's intent ledger come along.
The source is read in one snapshot and the destination written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from dos.errors import StoreError, UsageError
from dos.store import Store, StoreTx
from dos.store.journal import GENESIS_HASH, JournalRecord, check_chain
from dos.store.urls import redact_url
from dos.store.verdicts import VerdictRecord
from dos.structs import asdict, struct

__all__ = ["CopyReport", "copy_store", "erase_store", "is_empty"]

_BATCH = 2000
_ALL_TIME = -(2**62)


@struct
class CopyReport:
    """What was copied, and the chain's head at the destination."""

    journal_records: int
    anchor_seq: int
    head_seq: int
    head_hash: str
    leases: int
    counters: int
    verdicts: int
    memories: int
    replaced: bool
    attempts: int = 0
    intents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _records(tx: StoreTx, after_seq: int) -> Iterator[list[JournalRecord]]:
    """The journal after ``after_seq`` in batches, streamed: a long history never has to
    fit in memory at once."""
    while batch := tx.journal_records(after_seq=after_seq, limit=_BATCH):
        yield batch
        after_seq = batch[-1].seq


def _verdicts(tx: StoreTx, after_seq: int) -> Iterator[list[VerdictRecord]]:
    """The verdict journal after ``after_seq`` in batches, streamed."""
    while batch := tx.verdict_records(after_seq=after_seq, limit=_BATCH):
        yield batch
        after_seq = batch[-1].seq


def is_empty(tx: StoreTx) -> bool:
    """Whether a store holds nothing at all: no journal, anchor, lease, counter,
    verdict, memory, attempt or intent ledger."""
    return not (tx.journal_count() or tx.journal_anchor() or tx.unreleased_leases()
                or tx.leases_ended_since(_ALL_TIME) or tx.counters()
                or tx.verdict_span()[0] or tx.verdict_anchor() or tx.memories()
                or tx.attempts(limit=1) or tx.runs_with_intents(limit=1))


def erase_store(store: Store) -> None:
    """Remove everything in ``store`` (``--force``): the SQLite file, or the
    workspace's rows in a shared PostgreSQL database."""
    store.close()
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        from dos.store import kept_connections
        from dos.store.head import forget_head

        kept_connections.release()  # none may checkpoint into, or delete, what comes next

        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        if store.head_path:
            forget_head(store.head_path)  # its history is gone on purpose
        return
    erase = getattr(store, "erase", None)
    if erase is None:
        raise StoreError(f"cannot erase the store {redact_url(store.url)}",
                         hint="copy into an empty store instead")
    erase()


def _identity(store: Store) -> tuple[str, str]:
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return ("sqlite", str(path.resolve()))
    return (store.url, str(getattr(store, "workspace_id", "")))


def _destination_state(destination: Store) -> bool:
    if not destination.exists():
        return False
    with destination.transaction(write=False) as tx:
        return not is_empty(tx)


def _load(source: StoreTx, target: StoreTx,
          progress: Callable[[int], None]) -> dict[str, int]:
    anchor = source.journal_anchor()
    if anchor is not None:
        target.drop_journal_through(anchor)
    records = 0
    for batch in _records(source, anchor.seq if anchor else 0):
        target.load_records(batch)
        records += len(batch)
        progress(records)
    leases = [*source.leases_ended_since(_ALL_TIME), *source.unreleased_leases()]
    for lease in sorted(leases, key=lambda item: item.lease_id):
        target.load_lease(lease)
    counters = source.counters()
    for scope, value in counters.items():
        target.set_counter(scope, value)
    verdicts = _load_verdicts(source, target)
    memories = source.memories()
    for namespace, key, value in memories:
        target.remember(namespace, key, value)
    return {"journal_records": records, "leases": len(leases), "counters": len(counters),
            "verdicts": verdicts, "memories": len(memories), **_load_ledger(source, target)}


def _load_ledger(source: StoreTx, target: StoreTx) -> dict[str, int]:
    """Every attempt row (copied records do not project them again) and every run's
    intent chain, verbatim."""
    attempts, after = 0, 0
    while batch := source.attempts(after_seq=after, limit=_BATCH):
        target.load_attempts(batch)
        attempts, after = attempts + len(batch), batch[-1].seq
    intents = 0
    for run_id in source.runs_with_intents():
        chain = source.intents(run_id)
        target.load_intents(chain)
        intents += len(chain)
    return {"attempts": attempts, "intents": intents}


def _load_verdicts(source: StoreTx, target: StoreTx) -> int:
    anchor = source.verdict_anchor()
    if anchor is not None:
        target.drop_verdicts_through(anchor)
    copied = 0
    for batch in _verdicts(source, anchor.seq if anchor else 0):
        target.load_verdicts(batch)
        copied += len(batch)
    return copied


def _verify(destination: Store, expected_head: tuple[int, str], copied: int) -> int:
    """Walk both chains as they arrived; the journal anchor's seq (0 without one)."""
    with destination.transaction(write=False) as tx:
        anchor = tx.journal_anchor()
        report = check_chain([], anchor=anchor)
        for batch in _records(tx, anchor.seq if anchor else 0):
            check_chain(batch, report=report)
        verdict_anchor = tx.verdict_anchor()
        verdicts = check_chain([], anchor=verdict_anchor)
        for verdict_batch in _verdicts(tx, verdict_anchor.seq if verdict_anchor else 0):
            check_chain(verdict_batch, report=verdicts)
    if not verdicts.ok:
        raise StoreError(f"the copy at {redact_url(destination.url)} does not verify: "
                         f"verdict journal: {verdicts.problem}",
                         hint="run `dos observe` on the source; it may have been damaged")
    if not report.ok or (report.head_seq, report.head_hash) != expected_head:
        raise StoreError(
            f"the copy at {redact_url(destination.url)} does not verify: "
            f"{report.problem or f'its head is seq {report.head_seq}, not {expected_head[0]}'}",
            hint="the source may have changed or been damaged; run `dos journal verify` on it")
    if report.records != copied:
        raise StoreError(f"the copy at {redact_url(destination.url)} holds {report.records} "
                         f"journal records, not {copied}", hint="retry the copy with --force")
    return anchor.seq if anchor else 0


def copy_store(source: Store, destination: Store, *, force: bool = False,
               progress: Callable[[int], None] = lambda _copied: None) -> CopyReport:
    """Copy everything in ``source`` into ``destination`` and verify the chain there.

    A destination that already holds anything is refused unless ``force``, which
    erases it first. ``progress`` hears the number of journal records copied so far.
    """
    if _identity(source) == _identity(destination):
        raise UsageError(f"--from and --to name the same store ({redact_url(source.url)})",
                         hint="copy to another file, database or [store] workspace_id")
    if not source.exists():
        raise UsageError(f"there is no store at {redact_url(source.url)} to copy",
                         hint="check --from (and [store] workspace_id for PostgreSQL)")
    replaced = _destination_state(destination)
    if replaced and not force:
        raise UsageError(f"the destination {redact_url(destination.url)} is not empty",
                         hint="copy into an empty store, or pass --force to replace "
                              "everything in it")
    if replaced:
        erase_store(destination)
    with source.transaction(write=False) as src:
        newest = src.journal_records(limit=1, newest_first=True)
        anchor = src.journal_anchor()
        head = (newest[0].seq, newest[0].hash) if newest else (
            (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH))
        with destination.transaction(write=True) as dst:
            counts = _load(src, dst, progress)
    anchor_seq = _verify(destination, head, counts["journal_records"])
    return CopyReport(anchor_seq=anchor_seq, head_seq=head[0], head_hash=head[1],
                      replaced=replaced, **counts)
