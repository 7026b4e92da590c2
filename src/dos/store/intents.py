"""The intent ledger as data: what a run declared, the steps it started and finished,
and the proposals and checkpoints made about it.

Each run has its own hash chain, sealed by the store: ``seq`` counts from 1 per run,
``hash = sha256(prev_hash ‖ canonical-json(every other field))`` with the first record
linked to :data:`~dos.store.chain.GENESIS_HASH`. The table is append-only, so a record
cannot be changed or withdrawn, only followed; a checkpoint is trusted because the
store sealed it into this chain, never because a caller says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dos import _fastjson
from dos.store.cells import check_int, json_object, unreadable
from dos.store.chain import canonical_json, record_hash
from dos.store.rows import INTENT_COLUMNS
from dos.structs import field, replace, struct

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["INTENT_COLUMNS", "KINDS", "IntentEntry", "IntentRecord", "intent_from_row",
           "seal_intent"]

# INTENT declares the steps; STEP_STARTED / STEP_DONE (with the step's commit) follow the
# work; RESUME_PROPOSED records a successor's re-entry point; CHECKPOINT marks a state a
# run may be rewound to; REAPED records that `dos reap` found the run dead.
KINDS = ("INTENT", "STEP_STARTED", "STEP_DONE", "RESUME_PROPOSED", "CHECKPOINT", "REAPED")


@struct
class IntentEntry:
    """What a writer appends; the store adds ``seq``, ``ts_ms`` and the hashes."""

    run_id: str
    kind: str
    step: str = ""
    commit: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict)


@struct
class IntentRecord:
    """One sealed ledger record of one run."""

    run_id: str
    seq: int
    kind: str
    step: str
    commit: str
    ts_ms: int
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        """Every field the hash covers (all but the two hashes)."""
        return {"run_id": self.run_id, "seq": self.seq, "kind": self.kind, "step": self.step,
                "commit": self.commit, "ts_ms": self.ts_ms, "payload": dict(self.payload)}

    def row(self) -> tuple[Any, ...]:
        return (self.run_id, self.seq, self.kind, self.step, self.commit, self.ts_ms,
                canonical_json(dict(self.payload)), self.prev_hash, self.hash)

    def to_dict(self) -> dict[str, Any]:
        return {**self.hashed_fields(), "prev_hash": self.prev_hash, "hash": self.hash}


def seal_intent(entry: IntentEntry, *, seq: int, ts_ms: int, prev_hash: str) -> IntentRecord:
    """Give ``entry`` its place in its run's chain (ValueError for an unknown kind, a
    field that is not text, or a payload that is not plain JSON)."""
    if entry.kind not in KINDS:
        raise ValueError(f"unknown intent kind {entry.kind!r}; known: {', '.join(KINDS)}")
    texts = (entry.run_id, entry.step, entry.commit)
    if not all(type(text) is str for text in texts) or not entry.run_id:
        raise ValueError("an intent record needs a run id, and text step and commit")
    try:
        payload = _fastjson.loads(canonical_json(dict(entry.payload)), max_depth=1 << 30)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"intent payload is not plain JSON: {exc}") from None
    record = IntentRecord(run_id=entry.run_id, seq=seq, kind=entry.kind, step=entry.step,
                          commit=entry.commit, ts_ms=ts_ms, payload=payload,
                          prev_hash=prev_hash, hash="")
    return replace(record, hash=record_hash(prev_hash, record.hashed_fields()))


def intent_from_row(row: Sequence[Any]) -> IntentRecord:
    """An ``intents`` row (in :data:`INTENT_COLUMNS` order), every cell checked; a
    record whose cells are well-formed but changed is left to the hash check."""
    seq = check_int(row[1], "an intent record's seq", low=1, high=2**63 - 1)
    what = f"intent record {row[0]!r} seq {seq}"
    for index, name in ((0, "run_id"), (2, "kind"), (3, "step"), (4, "commit"),
                        (7, "prev_hash"), (8, "hash")):
        if type(row[index]) is not str:
            raise unreadable(f"{what} ({name})", f"it holds {row[index]!r}, not text")
    return IntentRecord(run_id=row[0], seq=seq, kind=row[2], step=row[3], commit=row[4],
                        ts_ms=check_int(row[5], f"{what} (ts_ms)"),
                        payload=json_object(row[6], f"{what} (payload)"),
                        prev_hash=row[7], hash=row[8])
