"""Checking the verdict journal's chain on every ``dos observe``, in bounded time.

Every run, over the whole journal, by the database (no record is read out):
the seqs run without a gap from the anchor to the head, every record's ``prev_hash`` is
its predecessor's hash, the first record links to the anchor, and the record at the
witnessed checkpoint still carries the hash it had when it was re-hashed (a rewritten
or truncated history cannot hide behind it). Then, for up to ``budget_s`` seconds, it
re-hashes every field of the records after the checkpoint (advancing it), and with the
time left sweeps on through the older ones, so that each record is re-hashed again
every few runs. The budget counts from ``started`` (the caller's own start, so a slow
rollup leaves less), but is never under ``MIN_REHASH_S``. ``full`` re-hashes everything,
however long that takes.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from dos.record.verdict_checkpoint import Checkpoint
from dos.store import StoreTx
from dos.store.chain import GENESIS_HASH
from dos.store.journal import ChainReport, JournalAnchor, check_chain
from dos.structs import field, struct

__all__ = ["BUDGET_S", "MIN_REHASH_S", "ChainCheck", "check_verdict_chain"]

BUDGET_S = 0.5
MIN_REHASH_S = 0.1
_BATCH = 2000


@struct(frozen=False)
class ChainCheck:
    """What one run verified. ``rehashed``: the seq ranges re-hashed by this run;
    ``unhashed``: records after the checkpoint still waiting for their first re-hash."""

    records: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    anchor_seq: int = 0
    checkpoint_seq: int = 0
    rehashed: list[tuple[int, int]] = field(default_factory=list)
    unhashed: int = 0
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None

    def fail(self, seq: int, problem: str) -> None:
        if self.ok:
            self.first_bad_seq, self.problem = seq, problem

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "head_seq": self.head_seq,
                "head_hash": self.head_hash, "anchor_seq": self.anchor_seq,
                "checkpoint_seq": self.checkpoint_seq,
                "rehashed": [list(span) for span in self.rehashed],
                "rehashed_count": sum(last - first + 1 for first, last in self.rehashed),
                "unhashed": self.unhashed, "first_bad_seq": self.first_bad_seq,
                "problem": self.problem}


def _structure(tx: StoreTx, check: ChainCheck, base: JournalAnchor) -> None:
    count, first, _last = tx.verdict_span()
    check.records, check.head_seq, check.head_hash = count, base.seq, base.hash
    if not count:
        return
    newest = tx.verdict_records(limit=1, newest_first=True)[0]
    check.head_seq, check.head_hash = newest.seq, newest.hash
    if first != base.seq + 1:
        check.fail(base.seq + 1, f"seq {base.seq + 1} is missing: the journal starts at seq "
                                 f"{first}, after anchor seq {base.seq}")
    breaks = tx.verdict_link_breaks(limit=1)
    if breaks:
        seq = breaks[0]
        before = tx.verdict_records(after_seq=seq - 2, limit=1)
        if before and before[0].seq == seq - 1:
            check.fail(seq, f"seq {seq} does not link to seq {seq - 1} (its prev_hash is not "
                            "that record's hash: one of them was rewritten)")
        else:
            check.fail(seq - 1, f"seq {seq - 1} is missing: it was deleted from the journal")
    oldest = tx.verdict_records(after_seq=base.seq, limit=1)[0]
    if oldest.prev_hash != base.hash:
        check.fail(oldest.seq, f"seq {oldest.seq} does not link to the anchor (seq {base.seq})")


def _witnessed(tx: StoreTx, check: ChainCheck, base: JournalAnchor,
               checkpoint: Checkpoint | None) -> JournalAnchor:
    """Where re-hashing resumes: the checkpoint when it still holds, else the anchor."""
    if checkpoint is None or checkpoint.seq <= base.seq:
        return base
    if checkpoint.seq > check.head_seq:
        check.fail(check.head_seq + 1, f"the records after seq {check.head_seq} are gone "
                                       f"(seq {checkpoint.seq} was verified before)")
        return base
    found = tx.verdict_records(after_seq=checkpoint.seq - 1, limit=1)
    if not found or found[0].seq != checkpoint.seq or found[0].hash != checkpoint.hash:
        check.fail(checkpoint.seq, f"seq {checkpoint.seq} changed since it was verified")
        return base
    check.checkpoint_seq = checkpoint.seq
    return JournalAnchor(checkpoint.seq, checkpoint.hash)


def _rehash(tx: StoreTx, start: JournalAnchor, through: int, deadline: float) -> ChainReport:
    """Re-hash the records after ``start`` up to ``through`` until ``deadline``."""
    report = check_chain([], anchor=start)
    while report.ok and report.head_seq < through and monotonic() < deadline:
        batch = tx.verdict_records(after_seq=report.head_seq,
                                   limit=min(_BATCH, through - report.head_seq))
        if not batch:
            report.fail(report.head_seq + 1, f"seq {report.head_seq + 1} is missing")
            break
        check_chain(batch, report=report)
    return report


def _record_span(check: ChainCheck, start: JournalAnchor, report: ChainReport) -> bool:
    """Note what ``report`` re-hashed; False when it found a break."""
    if report.head_seq > start.seq:
        check.rehashed.append((start.seq + 1, report.head_seq))
    if not report.ok:
        check.fail(report.first_bad_seq or report.head_seq + 1, report.problem)
    return report.ok


def _hash_at(tx: StoreTx, seq: int, base: JournalAnchor) -> JournalAnchor:
    if seq <= base.seq:
        return base
    return JournalAnchor(seq, tx.verdict_records(after_seq=seq - 1, limit=1)[0].hash)


def check_verdict_chain(tx: StoreTx, checkpoint: Checkpoint | None, *, store: str,
                        full: bool = False, budget_s: float = BUDGET_S,
                        started: float | None = None) -> tuple[ChainCheck, Checkpoint | None]:
    """Check the chain (see the module); the check and the checkpoint to keep (None:
    nothing to witness)."""
    begun = monotonic() if started is None else started
    anchor = tx.verdict_anchor()
    base = anchor or JournalAnchor(0, GENESIS_HASH)
    check = ChainCheck(anchor_seq=base.seq)
    _structure(tx, check, base)
    start = _witnessed(tx, check, base, None if full else checkpoint)
    if not check.ok or not check.records:
        return check, None
    deadline = float("inf") if full else max(begun + budget_s, monotonic() + MIN_REHASH_S)
    tail = _rehash(tx, start, check.head_seq, deadline)
    if not _record_span(check, start, tail):
        return check, None
    check.unhashed = check.head_seq - tail.head_seq
    swept = checkpoint.swept if checkpoint and start.seq != base.seq else base.seq
    if tail.head_seq == check.head_seq and start.seq > base.seq:
        sweep_from = _hash_at(tx, max(swept, base.seq), base)
        sweep = _rehash(tx, sweep_from, start.seq, deadline)
        if not _record_span(check, sweep_from, sweep):
            return check, None
        swept = base.seq if sweep.head_seq >= start.seq else sweep.head_seq
    return check, Checkpoint(store=store, seq=tail.head_seq, hash=tail.head_hash,
                             swept=swept)
