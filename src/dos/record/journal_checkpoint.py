"""The last verified point of the ops journal, from which ``dos journal verify`` goes on.

A verify that finds nothing wrong remembers, in the store's memory table, the seq and
hash it verified up to and what its walk had gathered there (the leases the journal
holds, the counters' last allocations). The next verify starts from that point:

* it re-reads the record at the remembered seq, recomputes its hash from its fields and
  requires it to equal the remembered hash (a rewrite of that record, or of the chain
  from it onwards, is caught there);
* it walks every record after it, link by link, as a full verify does, and checks the
  lease table, the counters and the head witnessed outside the store in full.

What it does **not** prove: that the records *below* the remembered point are still
what they were when they were verified (a record there altered later goes unnoticed),
nor what SQLite's own consistency check (``PRAGMA quick_check``, which reads every page)
would find; PostgreSQL's schema checks (append-only triggers, the fencing sequence) cost
the same at any length and run in both modes. ``dos journal verify --full`` re-walks the
whole chain from the compaction anchor or genesis, runs every check, ignores the
remembered point and, if everything holds, replaces it. The remembered point is a
shortcut, not a witness: whoever can rewrite the store can rewrite it too (the head
anchor outside the store is the witness).

A remembered point is used only when it is well-formed and was taken under the current
compaction anchor; otherwise the verify is a full one.
"""

from __future__ import annotations

from typing import Any

from dos.admission.lease import Lease
from dos.errors import StoreError
from dos.store import Store, StoreTx
from dos.store.journal import JournalAnchor, JournalRecord
from dos.structs import struct

__all__ = ["NAMESPACE", "Checkpoint", "load", "record_at", "save"]

NAMESPACE = "journal-verify"
_KEY = "checkpoint"


@struct
class Checkpoint:
    """The last verified (seq, hash), the anchor it was taken under, and the walk's
    state there."""

    seq: int
    hash: str
    anchor_seq: int
    anchor_hash: str
    held: dict[int, Lease]
    allocated: dict[str, int]
    counters_known: bool
    verified_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "anchor_seq": self.anchor_seq,
                "anchor_hash": self.anchor_hash, "verified_ms": self.verified_ms,
                "held": [lease.to_dict() for lease in self.held.values()],
                "allocated": dict(self.allocated), "counters_known": self.counters_known}


def _parse(value: Any) -> Checkpoint | None:
    if not isinstance(value, dict):
        return None
    try:
        seq, digest = value["seq"], value["hash"]
        anchor_seq, anchor_hash = value["anchor_seq"], value["anchor_hash"]
        allocated, known = value["allocated"], value["counters_known"]
        held = [Lease.from_dict(raw) for raw in value["held"]]
    except (KeyError, TypeError, ValueError):
        return None
    if type(seq) is not int or seq < 1 or not isinstance(digest, str) \
            or type(anchor_seq) is not int or not isinstance(anchor_hash, str) \
            or not isinstance(allocated, dict) or type(known) is not bool \
            or not all(isinstance(k, str) and type(v) is int for k, v in allocated.items()):
        return None
    stamp = value.get("verified_ms", 0)
    return Checkpoint(seq, digest, anchor_seq, anchor_hash,
                      {lease.lease_id: lease for lease in held}, dict(allocated), known,
                      stamp if type(stamp) is int else 0)


def load(tx: StoreTx, anchor: JournalAnchor | None) -> Checkpoint | None:
    """The remembered point, if it is usable under ``anchor`` (the current one)."""
    found = _parse(tx.recall(NAMESPACE, _KEY))
    if found is None:
        return None
    anchor_seq, anchor_hash = (anchor.seq, anchor.hash) if anchor else (0, "")
    if (found.anchor_seq, found.anchor_hash) != (anchor_seq, anchor_hash) \
            or found.seq <= anchor_seq:
        return None  # compacted since: the walk starts again from the new anchor
    return found


def record_at(tx: StoreTx, seq: int) -> JournalRecord | None:
    """The record at ``seq``, if the journal holds it."""
    found = tx.journal_records(after_seq=seq - 1, limit=1)
    return found[0] if found and found[0].seq == seq else None


def save(store: Store, checkpoint: Checkpoint) -> str:
    """Remember ``checkpoint``; "" when done, else why it could not be (a read-only
    store still verifies, it only cannot go on from here next time)."""
    try:
        with store.transaction(write=True) as tx:
            tx.remember(NAMESPACE, _KEY, {**checkpoint.to_json(), "verified_ms": tx.now_ms()})
    except StoreError as exc:
        return f"the verified point could not be remembered ({exc}): the next verify walks " \
               "the whole chain again"
    return ""
