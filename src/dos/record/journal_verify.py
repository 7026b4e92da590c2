"""``dos journal verify``: is the store's record whole?

It walks the hash chain from the compaction anchor (or genesis) and checks the anchor
is witnessed by a COMPACT record; runs the backend's own consistency check; folds the
journal into the leases it says are held, which must be exactly the lease table's
unreleased rows; checks every counter against the journal's last ID_ALLOC of its
scope; and compares the head witnessed outside the store's tables (see
:mod:`dos.store.head`) with the journal's, which finds a cut tail, a rolled-back or
replaced store, and a rewritten chain.

By default it goes on from the last verified point instead of from the anchor, and
``full`` walks everything again: what each proves is in :mod:`dos.record.journal_checkpoint`.
"""

from __future__ import annotations

from typing import Any

from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.record import journal_checkpoint
from dos.record.journal_admin import fold_leases, records
from dos.record.journal_checkpoint import Checkpoint
from dos.store import Store, StoreTx, store_for
from dos.store.chain import record_hash
from dos.store.journal import ChainReport, JournalAnchor, check_chain
from dos.structs import field, struct

__all__ = ["VerifyReport", "verify", "verify_store"]


@struct(frozen=False)
class VerifyReport:
    """What the check found: the chain walk, problems (exit 1) and warnings (exit 0)."""

    chain: ChainReport
    anchor_seq: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    head_anchor: dict[str, Any] | None = None
    mode: str = "full"  # or "incremental": walked on from the last verified point
    from_seq: int = 0  # the walk checked the records after this seq

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_dict(self) -> dict[str, Any]:
        problems = ([self.chain.problem] if self.chain.problem else []) + self.problems
        return {"ok": self.ok, "records": self.chain.records, "head_seq": self.chain.head_seq,
                "head_hash": self.chain.head_hash, "anchor_seq": self.anchor_seq,
                "first_bad_seq": self.chain.first_bad_seq, "problems": problems,
                "warnings": list(self.warnings), "head_anchor": self.head_anchor,
                "mode": self.mode, "from_seq": self.from_seq}


@struct(frozen=False)
class _Walk:
    """What one pass over the records gathers besides the chain."""

    held: dict[int, Lease] = field(default_factory=dict)
    allocated: dict[str, int] = field(default_factory=dict)
    counters_known: bool = True  # False after a compaction that kept no counter snapshot
    compaction_witnessed: bool = True
    witness_seq: int = 0
    witness_hash: str | None = None


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


def _fold_counters(walk: _Walk, op: str, payload: Any, seq: int, problems: list[str]) -> None:
    if op == "COMPACT":
        snapshot = payload.get("counters")
        if isinstance(snapshot, dict):
            walk.allocated.update({str(k): v for k, v in snapshot.items() if type(v) is int})
            walk.counters_known = True
        return
    scope, value = payload.get("scope"), payload.get("id")
    if not isinstance(scope, str) or type(value) is not int:
        problems.append(f"the ID_ALLOC record at seq {seq} names no scope and id")
        return
    walk.allocated[scope] = value


def _walk(tx: StoreTx, report: VerifyReport, anchor: JournalAnchor | None,
          walk: _Walk) -> None:
    for record in records(tx, after_seq=report.from_seq):
        check_chain([record], report=report.chain)
        if not report.chain.ok:
            return
        fold_leases([record], walk.held)
        if record.seq == walk.witness_seq:
            walk.witness_hash = record.hash
        if record.op in ("ID_ALLOC", "COMPACT"):
            _fold_counters(walk, record.op, record.payload, record.seq, report.problems)
        if anchor and record.op == "COMPACT" and record.payload.get("anchor_seq") == anchor.seq:
            walk.compaction_witnessed = walk.compaction_witnessed or \
                record.payload.get("anchor_hash") == anchor.hash


def _check_counters(walk: _Walk, counters: dict[str, int], report: VerifyReport) -> None:
    for scope in sorted(set(counters) | set(walk.allocated)):
        value, last = counters.get(scope), walk.allocated.get(scope)
        if last is None:
            if walk.counters_known:
                report.problems.append(
                    f"counter {scope!r} holds {value} but the journal records no "
                    "allocation of that scope: it was set outside dos")
            else:
                report.warnings.append(
                    f"counter {scope!r} cannot be checked: its allocations were compacted "
                    "by an older dos that kept no counter snapshot")
        elif value is None:
            report.problems.append(
                f"counter {scope!r} is missing but the journal's last allocation of it is "
                f"{last}: the next id would repeat one already handed out")
        elif value != last:
            how = "rolled back" if value < last else "moved without a journal record"
            report.problems.append(
                f"counter {scope!r} holds {value} but the journal's last allocation of it "
                f"is {last}: the counter was {how}")


def _witness(store: Store, report: VerifyReport) -> int:
    """Read the head witnessed outside the store; the seq to look for (0: none)."""
    from dos.store.head import read_head

    path = store.head_path
    if path is None:
        return 0
    try:
        head = read_head(path)
    except (OSError, ValueError) as exc:
        report.problems.append(f"the journal's head anchor {path} is unreadable ({exc}); "
                               "if it was damaged by accident, delete it: the next write "
                               "creates it again")
        return 0
    if head is None:
        return -1
    if head.store != store.head_store:
        report.warnings.append(f"the head anchor {path} was written for another store "
                               f"({head.store}); it was not compared")
        return 0
    report.head_anchor = {"path": path, "seq": head.seq, "hash": head.hash}
    return head.seq


def _check_head(store: Store, tx: StoreTx, report: VerifyReport, walk: _Walk,
                anchor: JournalAnchor | None) -> None:
    if walk.witness_seq < 0:
        if tx.journal_count() or anchor is not None:
            report.warnings.append(
                f"the journal's head has no anchor outside the store yet ({store.head_path}; "
                "a store from an older dos): a cut tail cannot be found until the next "
                "write creates it")
        return
    if walk.witness_seq == 0 or report.head_anchor is None:
        return
    seq, digest = walk.witness_seq, report.head_anchor["hash"]
    newest = tx.journal_records(limit=1, newest_first=True)
    last = newest[0].seq if newest else (anchor.seq if anchor else 0)
    if seq > last:
        report.problems.append(
            f"the journal ends at seq {last} but its head anchor ({store.head_path}) "
            f"witnessed seq {seq}: records were cut from its tail, or the store was "
            "replaced by an older copy (if it was replaced on purpose, as by `dos store copy "
            "--force` from another checkout, delete the anchor: the next write renews it)")
    elif anchor is not None and seq <= anchor.seq:
        if seq == anchor.seq and digest != anchor.hash:
            report.problems.append(f"the compaction anchor at seq {seq} does not match the "
                                   "head anchor's hash: the journal was rewritten")
    elif report.chain.ok and _witnessed_hash(tx, walk) != digest:
        report.problems.append(
            f"the record at seq {seq} does not match the hash its head anchor "
            f"({store.head_path}) witnessed: the journal was rewritten up to there")


def _witnessed_hash(tx: StoreTx, walk: _Walk) -> str | None:
    """The hash of the record at the witnessed seq (read on its own when the walk
    started above it)."""
    if walk.witness_hash is None:
        found = journal_checkpoint.record_at(tx, walk.witness_seq)
        walk.witness_hash = found.hash if found else None
    return walk.witness_hash


def _start(tx: StoreTx, report: VerifyReport, anchor: JournalAnchor | None,
           walk: _Walk, *, full: bool) -> None:
    """Where the walk starts: the anchor (or genesis), or the last verified point once
    the record there is shown unchanged. A changed one is a problem, and the walk is
    then a full one."""
    walk.compaction_witnessed = walk.counters_known = anchor is None
    point = None if full else journal_checkpoint.load(tx, anchor)
    if point is None:
        return
    found = journal_checkpoint.record_at(tx, point.seq)
    if found is None or found.hash != point.hash or \
            record_hash(found.prev_hash, found.hashed_fields()) != found.hash:
        what = "is missing" if found is None else "no longer matches the hash it had"
        report.problems.append(
            f"the record at seq {point.seq}, verified before, {what}: the journal was "
            "rewritten up to there (`dos journal verify --full` walks the whole chain)")
        return
    report.mode, report.from_seq = "incremental", point.seq
    report.chain.head_seq, report.chain.head_hash = point.seq, point.hash
    walk.held, walk.allocated = dict(point.held), dict(point.allocated)
    walk.counters_known, walk.compaction_witnessed = point.counters_known, True


def verify_store(store: Store, *, full: bool = False) -> VerifyReport:
    """:func:`verify` of an opened ``store`` (not closed here)."""
    if not store.exists():
        return VerifyReport(ChainReport(), mode="full" if full else "incremental")
    problems = [f"database check: {text}"
                for text in store.integrity_problems(thorough=full)]
    with store.transaction(write=False) as tx:
        anchor = tx.journal_anchor()
        report = VerifyReport(check_chain([], anchor=anchor), anchor.seq if anchor else 0,
                              problems, from_seq=anchor.seq if anchor else 0)
        walk = _Walk(witness_seq=_witness(store, report))
        _start(tx, report, anchor, walk, full=full)
        _walk(tx, report, anchor, walk)
        if report.chain.ok:  # a broken chain is the finding; what follows would guess
            if not walk.compaction_witnessed:
                report.problems.append(
                    f"the compaction anchor at seq {anchor.seq if anchor else 0} is not "
                    "witnessed by a COMPACT record on the chain")
            report.problems += _check_leases(walk.held, tx.unreleased_leases())
            _check_counters(walk, tx.counters(), report)
        _check_head(store, tx, report, walk, anchor)
    if report.ok and report.chain.head_seq > report.anchor_seq:
        warning = journal_checkpoint.save(store, Checkpoint(
            report.chain.head_seq, report.chain.head_hash, report.anchor_seq,
            anchor.hash if anchor else "", walk.held, walk.allocated, walk.counters_known))
        report.warnings += [warning] if warning else []
    return report


def verify(config: SubstrateConfig, *, full: bool = False) -> VerifyReport:
    """Check the workspace's store, its journal's hash chain and head, and the journal's
    agreement with the lease table and the counters: from the last verified point on, or
    (``full``) the whole chain and the database's own consistency check. Writes only
    the verified point it reached, to a store that exists."""
    store = store_for(config)
    try:
        return verify_store(store, full=full)
    finally:
        store.close()
