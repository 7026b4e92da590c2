"""Stale memory notes in the decisions queue (``dos memory verify --route``).

A note is one question: the newest MEMORY_STALE record for its path, open until a DECIDE
record covers it (the operator's ``resolve``, or a later sweep's ``settle`` when the
note is no longer STALE, is gone, or is stale for another reason). Read as state, like
a lease, so an open finding stays in the queue past any window.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from dos.record.decisions.model import DecisionRow, Key, Kind, Resolution, Resolver, handle_of
from dos.store.journal import JournalRecord
from dos.structs import asdict, fields, struct
from dos.verdicts.memory import MemoryToken

__all__ = ["MEMORY_OP", "MEMORY_TOKEN", "ROUTER", "SETTLE", "Finding", "Routed", "closed",
           "memory_row", "newest"]

MEMORY_OP = "MEMORY_STALE"
MEMORY_TOKEN = MemoryToken.STALE.value  # the verdict's own word: nothing to declare
ROUTER = "dos memory verify"  # the holder of what a sweep appends
SETTLE = "settle"  # a sweep closing a finding the facts no longer support


@struct
class Finding:
    """What a STALE note is routed with: which note, its culprit claim, the ground truth."""

    subject: str  # the note's path: one question per note
    file: str
    memory: str
    store: str
    claim: str
    claim_kind: str
    polarity: str
    source: str
    ground_truth: str

    @property
    def fingerprint(self) -> str:
        """Same culprit, same ground truth: the same finding (a sweep adds nothing)."""
        text = "\x1f".join((self.claim, self.claim_kind, self.polarity, self.ground_truth))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def payload(self) -> dict[str, str]:
        return {**asdict(self), "fingerprint": self.fingerprint}

    @classmethod
    def of_payload(cls, payload: Mapping[str, Any]) -> Finding:
        return cls(**{f.name: _text(payload.get(f.name)) for f in fields(cls)})


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@struct
class Routed:
    """The newest finding routed for one note, and how it was closed ("" while open)."""

    finding: Finding
    seq: int
    ts_ms: int
    closed_by: str = ""

    @property
    def open(self) -> bool:
        return not self.closed_by

    @property
    def key(self) -> Key:
        return Key(Kind.MEMORY_STALE, "", MEMORY_TOKEN, "", self.finding.subject)

    @property
    def handle(self) -> str:
        return handle_of(self.key, self.seq)  # the finding's seq names its episode


def newest(records: Iterable[JournalRecord]) -> dict[str, Routed]:
    """Each note's newest finding, open."""
    found: dict[str, Routed] = {}
    for record in records:
        finding = Finding.of_payload(record.payload)
        held = found.get(finding.subject)
        if finding.subject and (held is None or record.seq > held.seq):
            found[finding.subject] = Routed(finding, record.seq, record.ts_ms)
    return found


def closed(routed: Mapping[str, Routed], decided: Iterable[Resolution]) -> dict[str, Routed]:
    """``routed`` with each finding a DECIDE covers marked closed by its decision."""
    found = dict(routed)
    for done in decided:
        held = found.get(done.subject) if done.kind == Kind.MEMORY_STALE.value else None
        if held is not None and held.open and done.through.get("ops", 0) >= held.seq:
            found[done.subject] = Routed(held.finding, held.seq, held.ts_ms, done.decision)
    return found


def memory_row(routed: Routed, now_ms: int) -> DecisionRow:
    """An open finding as a HUMAN row: rewrite or delete the note, or dismiss it."""
    found = routed.finding
    store = f" --store {shlex.quote(found.store)}" if found.store else ""
    return DecisionRow(
        number=0, handle=routed.handle, kind=Kind.MEMORY_STALE, resolver=Resolver.HUMAN,
        lane="", reason_token=MEMORY_TOKEN,
        reason_text=f"memory {found.memory!r}: {found.claim!r} → {found.ground_truth}",
        run_id="", age_seconds=max(0, now_ms - routed.ts_ms) // 1000,
        evidence=(f"note {found.subject}",
                  f"claim {found.claim!r} ({found.claim_kind}/{found.polarity}), checked "
                  f"via {found.source}", f"ground truth: {found.ground_truth}",
                  f"routed by {ROUTER} --route"),
        proposed_command=f"dos memory recall {shlex.quote(found.file)}{store} --explain",
        dup_count=1, urgency="later", subject=found.subject, first_ts_ms=routed.ts_ms,
        first_seq=routed.seq, source=f"ops journal seq {routed.seq}",
        through={"ops": routed.seq})
