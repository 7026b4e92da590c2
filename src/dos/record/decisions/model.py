"""The rows of the decisions queue, and the records that resolve them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from dos.structs import field, struct

__all__ = ["DecisionRow", "Key", "Kind", "Point", "Resolution", "Resolver", "handle_of",
           "iso_ms"]


class Kind(StrEnum):
    """What is waiting: where the row came from."""

    LIVENESS = "LIVENESS"                      # a halt proposal (dos watch, dos halt)
    RESTART_ESCALATION = "RESTART_ESCALATION"  # dos loop will not refill a dying lane
    LEASE_REFUSE = "LEASE_REFUSE"              # dos lease-lane acquire was refused
    ARBITER_REFUSE = "ARBITER_REFUSE"          # dos arbitrate answered REFUSE
    EXPIRED_LEASE = "EXPIRED_LEASE"            # a lease past its TTL, never released
    PLAN_OVERCLAIM = "PLAN_OVERCLAIM"          # a plan claims a phase git does not show
    MEMORY_STALE = "MEMORY_STALE"              # a memory note the tree contradicts (--route)


class Resolver(StrEnum):
    """Who settles the row (see the package docstring for the rules)."""

    HUMAN = "HUMAN"
    JUDGE = "JUDGE"
    BACKPRESSURE = "BACKPRESSURE"
    ORACLE = "ORACLE"


@struct(order=True)
class Point:
    """Where a fact was read: a journal (``ops``, ``verdicts``), a lease or a plan."""

    journal: str
    seq: int
    ts_ms: int


@struct
class Key:
    """What makes two records the same question: their duplicates fold into one row."""

    kind: Kind
    lane: str = ""
    token: str = ""
    run_id: str = ""
    subject: str = ""

    def text(self) -> str:
        return "\x1f".join((self.kind.value, self.lane, self.token, self.run_id, self.subject))


def handle_of(key: Key, epoch: int) -> str:
    """A row's stable name: its key and the resolution that opened its episode (0: none).
    Never its position, so ``resolve`` hits the row the operator saw."""
    digest = hashlib.sha256(f"{key.text()}\x1e{epoch}".encode()).hexdigest()
    return f"h{digest[:10]}"


def iso_ms(ms: int) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms // 1000))


@struct
class DecisionRow:
    """One row of the queue; ``number`` is its 1-based rank in this answer."""

    number: int
    handle: str
    kind: Kind
    resolver: Resolver
    lane: str
    reason_token: str
    reason_text: str
    run_id: str
    age_seconds: int
    evidence: tuple[str, ...]
    proposed_command: str
    dup_count: int
    urgency: str = "now"
    subject: str = ""
    first_ts_ms: int = 0
    first_seq: int = 0  # of the first record, in its journal: orders rows seen in one ms
    source: str = ""
    through: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "handle": self.handle, "kind": self.kind.value,
                "resolver_kind": self.resolver.value, "lane": self.lane,
                "reason_token": self.reason_token, "reason_text": self.reason_text,
                "run_id": self.run_id, "run_ts": iso_ms(self.first_ts_ms),
                "age_seconds": self.age_seconds, "source_path": self.source,
                "evidence": list(self.evidence), "proposed_command": self.proposed_command,
                "dup_count": self.dup_count, "urgency": self.urgency, "subject": self.subject}


@struct
class Resolution:
    """A journaled decision about a row (approve, dismiss) or an override (``--force``)."""

    decision: str
    handle: str
    kind: str
    lane: str
    reason_token: str
    owner: str
    note: str = ""
    command: str = ""
    run_id: str = ""
    subject: str = ""
    ts_ms: int = 0
    seq: int = 0
    through: Mapping[str, int] = field(default_factory=dict)
    number: int = 0  # the row's rank when it was resolved

    def key(self) -> Key | None:
        """The key of the row it resolved (None for an override, which resolves none)."""
        try:
            kind = Kind(self.kind)
        except ValueError:
            return None
        return Key(kind, self.lane, self.reason_token, self.run_id, self.subject)

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "handle": self.handle, "kind": self.kind,
                "lane": self.lane, "reason_token": self.reason_token, "owner": self.owner,
                "note": self.note, "command": self.command, "run_id": self.run_id,
                "subject": self.subject, "ts": iso_ms(self.ts_ms) if self.ts_ms else "",
                "seq": self.seq, "number": self.number}
