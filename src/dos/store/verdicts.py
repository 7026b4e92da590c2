"""The verdict journal as data: what a surface appends, and the sealed record.

Chained like the ops journal (:mod:`dos.store.chain`): ``hash = sha256(prev_hash ‖
canonical-json(every other field))``, one gap-free ``seq`` per store. Plain classes, not
dataclasses: every hook decision is sealed on the hook's start-up path.
"""

from __future__ import annotations

from dos.store.chain import canonical_json, record_hash

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["FIELDS", "SOURCES", "VerdictEntry", "VerdictRecord", "seal_verdict"]

SOURCES = ("cli", "mcp", "hook", "api")
# The record's fields in column order (the stores keep them in this order).
FIELDS = ("seq", "ts_ms", "syscall", "verdict", "subject", "run_id", "lane", "source",
          "detail", "prev_hash", "hash")
_SCALARS = (str, int, float, bool, type(None))


class VerdictEntry:
    """What a surface appends; the store adds ``seq``, ``ts_ms`` and the hashes."""

    __slots__ = ("detail", "lane", "run_id", "source", "subject", "syscall", "verdict")

    def __init__(self, *, syscall: str, verdict: str, source: str, subject: str = "",
                 run_id: str = "", lane: str = "",
                 detail: Mapping[str, Any] | None = None) -> None:
        self.syscall, self.verdict, self.source = syscall, verdict, source
        self.subject, self.run_id, self.lane = subject, run_id, lane
        self.detail: Mapping[str, Any] = detail or {}

    def __repr__(self) -> str:
        return (f"VerdictEntry({self.syscall!r}, {self.verdict!r}, source={self.source!r}, "
                f"subject={self.subject!r}, run_id={self.run_id!r}, lane={self.lane!r}, "
                f"detail={dict(self.detail)!r})")


class VerdictRecord:
    """One sealed verdict record (immutable by convention: built only by the store)."""

    __slots__ = FIELDS

    def __init__(self, *, seq: int, ts_ms: int, syscall: str, verdict: str, subject: str,
                 run_id: str, lane: str, source: str, detail: Mapping[str, Any],
                 prev_hash: str, hash: str) -> None:
        self.seq, self.ts_ms, self.syscall, self.verdict = seq, ts_ms, syscall, verdict
        self.subject, self.run_id, self.lane, self.source = subject, run_id, lane, source
        self.detail, self.prev_hash, self.hash = detail, prev_hash, hash

    def hashed_fields(self) -> dict[str, Any]:
        """Every field the hash covers (all but the two hashes)."""
        return {"seq": self.seq, "ts_ms": self.ts_ms, "syscall": self.syscall,
                "verdict": self.verdict, "subject": self.subject, "run_id": self.run_id,
                "lane": self.lane, "source": self.source, "detail": dict(self.detail)}

    def row(self) -> tuple[Any, ...]:
        """The record as the stores keep it (``detail`` as its canonical JSON text)."""
        return (self.seq, self.ts_ms, self.syscall, self.verdict, self.subject, self.run_id,
                self.lane, self.source, canonical_json(dict(self.detail)), self.prev_hash,
                self.hash)

    def to_dict(self) -> dict[str, Any]:
        return {**self.hashed_fields(), "prev_hash": self.prev_hash, "hash": self.hash}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VerdictRecord) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable slots: not a dict key

    def __repr__(self) -> str:
        return f"VerdictRecord({self.to_dict()!r})"


def _checked_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    if not all(type(key) is str for key in detail):
        raise ValueError("verdict detail keys must be strings")
    for key, value in detail.items():
        if not isinstance(value, _SCALARS):
            raise ValueError(f"verdict detail {key!r} is a {type(value).__name__}, "
                             "not a scalar")
    return dict(detail)


def seal_verdict(entry: VerdictEntry, *, seq: int, ts_ms: int,
                 prev_hash: str) -> VerdictRecord:
    """Give ``entry`` its place in the chain (ValueError for a field that is not text, a
    source outside :data:`SOURCES`, or a detail value that is not a finite scalar)."""
    texts = (entry.syscall, entry.verdict, entry.subject, entry.run_id, entry.lane)
    if not all(type(text) is str for text in texts) or not entry.syscall or not entry.verdict:
        raise ValueError("a verdict needs a syscall and a verdict, and text fields")
    if entry.source not in SOURCES:
        raise ValueError(f"unknown verdict source {entry.source!r}; known: {', '.join(SOURCES)}")
    detail = _checked_detail(entry.detail)
    record = VerdictRecord(seq=seq, ts_ms=ts_ms, syscall=entry.syscall, verdict=entry.verdict,
                           subject=entry.subject, run_id=entry.run_id, lane=entry.lane,
                           source=entry.source, detail=detail, prev_hash=prev_hash, hash="")
    record.hash = record_hash(prev_hash, record.hashed_fields())  # ValueError for a NaN
    return record
