"""Retention of the verdict journal: ``[observe] keep_days``, applied by
``dos journal compact``.

The records older than the window are dropped behind an anchor (the last dropped
record's seq and hash), and the compaction is itself sealed onto the chain first, as a
``journal-compact`` record naming that anchor: the journal that is left still verifies
from the anchor, and says what was dropped and when.
"""

from __future__ import annotations

from dos.config import SubstrateConfig
from dos.store import StoreTx
from dos.store.journal import JournalAnchor
from dos.store.verdicts import VerdictEntry
from dos.structs import struct

__all__ = ["SYSCALL", "VerdictCompaction", "compact_verdicts", "keep_days"]

SYSCALL = "journal-compact"
_DAY_MS = 86_400_000


@struct
class VerdictCompaction:
    dropped: int = 0
    anchor_seq: int = 0
    keep_days: float | None = None


def keep_days(config: SubstrateConfig) -> float | None:
    """``[observe] keep_days``; None keeps everything."""
    value = config.table("observe").get("keep_days")
    return None if value is None else float(value)


def compact_verdicts(tx: StoreTx, days: float | None) -> VerdictCompaction:
    """Drop the verdicts older than ``days`` (nothing when None), inside ``tx``."""
    anchor = tx.verdict_anchor()
    kept = VerdictCompaction(anchor_seq=anchor.seq if anchor else 0, keep_days=days)
    if days is None:
        return kept
    now = tx.now_ms()
    cutoff = now - int(days * _DAY_MS)
    recent = tx.verdict_records(since_ms=cutoff, limit=1)
    newest = tx.verdict_records(limit=1, newest_first=True)
    last_old = recent[0].seq - 1 if recent else (newest[0].seq if newest else 0)
    if last_old <= kept.anchor_seq:
        return kept
    edge = tx.verdict_records(after_seq=last_old - 1, limit=1)[0]
    tx.append_verdict(VerdictEntry(
        syscall=SYSCALL, verdict="COMPACTED", source="cli", subject=f"through seq {edge.seq}",
        detail={"through_seq": edge.seq, "through_hash": edge.hash, "kept_since_ms": cutoff,
                "keep_days": days}))
    dropped = tx.drop_verdicts_through(JournalAnchor(edge.seq, edge.hash))
    return VerdictCompaction(dropped=dropped, anchor_seq=edge.seq, keep_days=days)
