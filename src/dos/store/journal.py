"""The ops journal as data: records, canonical JSON and the hash chain.

Backend-neutral: a backend stores the fields and the two hashes; sealing and
checking happen here, so SQLite and PostgreSQL chain records identically.
``hash = sha256(prev_hash ‖ canonical-json(every other field))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dos import _fastjson, structs
from dos.store.chain import GENESIS_HASH, canonical_json, record_hash
from dos.structs import field, struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any, Protocol
else:
    Protocol = object  # a protocol is for the type checker; at run time a plain base

__all__ = [
    "GENESIS_HASH",
    "OPS",
    "ChainLink",
    "ChainReport",
    "JournalAnchor",
    "JournalEntry",
    "JournalRecord",
    "canonical_json",
    "check_chain",
    "record_hash",
    "seal",
    "seal_chain",
]

# The closed op vocabulary; a typo in a writer is an error, not a new op. DECIDE is an
# operator's answer to a row of `dos decisions`, or an override such as arbitrate --force;
# MEMORY_STALE is a stale memory note `dos memory verify --route` hands to that queue.
OPS = frozenset({
    "ACQUIRE", "REFUSE", "RELEASE", "HEARTBEAT", "EXPIRE", "REAP", "SCAVENGE", "ADOPT",
    "SPAWN", "HALT", "SUSPEND", "ENFORCE", "ATTEMPT", "COMPACT", "ID_ALLOC",
    "MUTEX_ACQUIRE", "MUTEX_RELEASE", "MUTEX_STEAL", "DECIDE", "MEMORY_STALE",
})


@struct
class JournalEntry:
    """What a writer appends; the store adds ``seq``, ``ts_ms`` and the hashes."""

    op: str
    lane: str = ""
    holder: str = ""
    run_id: str = ""
    loop_ts: str = ""
    lease_id: int | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@struct
class JournalRecord:
    """One sealed journal record."""

    seq: int
    ts_ms: int
    op: str
    lane: str
    holder: str
    run_id: str
    loop_ts: str
    lease_id: int | None
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        """Every field the hash covers (all but the two hashes)."""
        return {
            "seq": self.seq, "ts_ms": self.ts_ms, "op": self.op, "lane": self.lane,
            "holder": self.holder, "run_id": self.run_id, "loop_ts": self.loop_ts,
            "lease_id": self.lease_id, "payload": dict(self.payload),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.hashed_fields(), "prev_hash": self.prev_hash, "hash": self.hash}


_NO_LIMIT = 1 << 30  # canonical_json has already bounded the payload: no second limit


def seal(entry: JournalEntry, *, seq: int, ts_ms: int, prev_hash: str) -> JournalRecord:
    """Give ``entry`` its place in the chain. The payload is normalised through
    canonical JSON first, so what is hashed is exactly what a reader gets back."""
    if entry.op not in OPS:
        raise ValueError(f"unknown journal op {entry.op!r}; known: {', '.join(sorted(OPS))}")
    try:
        # the json package's own parser answers anything the C codec does not
        payload = _fastjson.loads(canonical_json(dict(entry.payload)), max_depth=_NO_LIMIT)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"journal payload is not plain JSON: {exc}") from None
    unsealed = JournalRecord(
        seq=seq, ts_ms=ts_ms, op=entry.op, lane=entry.lane, holder=entry.holder,
        run_id=entry.run_id, loop_ts=entry.loop_ts, lease_id=entry.lease_id,
        payload=payload, prev_hash=prev_hash, hash="",
    )
    return structs.replace(unsealed, hash=record_hash(prev_hash, unsealed.hashed_fields()))


def seal_chain(entries: Iterable[JournalEntry], *, after_seq: int, ts_ms: int,
               prev_hash: str) -> list[JournalRecord]:
    """Seal ``entries`` one after another onto a chain whose head is ``after_seq``."""
    records = []
    for seq, entry in enumerate(entries, start=after_seq + 1):
        record = seal(entry, seq=seq, ts_ms=ts_ms, prev_hash=prev_hash)
        prev_hash = record.hash
        records.append(record)
    return records


@struct
class JournalAnchor:
    """Where a compacted journal starts: the last dropped record's seq and hash."""

    seq: int
    hash: str


class ChainLink(Protocol):
    """What :func:`check_chain` walks: an ops journal record or a verdict record."""

    @property
    def seq(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    def hashed_fields(self) -> dict[str, Any]: ...


@struct(frozen=False)
class ChainReport:
    """The result of walking the chain: how far it held, and the first break."""

    records: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem

    def fail(self, seq: int, problem: str) -> None:
        if self.ok:
            self.first_bad_seq, self.problem = seq, problem


def check_chain(
    records: Iterable[ChainLink], *, anchor: JournalAnchor | None = None,
    report: ChainReport | None = None,
) -> ChainReport:
    """Walk ``records`` in seq order; stop at the first record that breaks the chain.

    Pass the returned ``report`` back in to continue a walk over the next batch.
    """
    state = report if report is not None else ChainReport(
        head_seq=anchor.seq if anchor else 0, head_hash=anchor.hash if anchor else GENESIS_HASH)
    for record in records:
        if not state.ok:
            break
        if record.seq != state.head_seq + 1:
            state.fail(record.seq, f"seq {record.seq} follows seq {state.head_seq}: "
                                   "records are missing or out of order")
        elif record.prev_hash != state.head_hash:
            state.fail(record.seq, f"seq {record.seq} does not link to seq {state.head_seq} "
                                   "(prev_hash differs)")
        elif record_hash(record.prev_hash, record.hashed_fields()) != record.hash:
            state.fail(record.seq, f"seq {record.seq} was altered: its fields no longer "
                                   "match its hash")
        else:
            state.records += 1
            state.head_seq, state.head_hash = record.seq, record.hash
    return state
