"""Reading one ``dos top`` frame's sources: the store, git and the process table.

Every read is bounded, whatever the length of the history: the leases not yet released
(their own index), the newest :data:`VERDICT_WINDOW` verdict records (by seq), the newest
ATTEMPT and SPAWN records (by op and seq) still inside their time windows, and the newest
:data:`HISTORY` commits. A :class:`TopCursor` from the previous frame makes the next one
read only what is newer (records after the seqs it saw; git only when HEAD moved).
Nothing is ever written.
"""

from __future__ import annotations

import time

from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.errors import GitError
from dos.git.changes import Change, head_changes
from dos.git.progress import head_sha
from dos.store import StoreTx, reading, store_url, test_clock_ms
from dos.store.journal import JournalRecord
from dos.store.verdicts import VerdictRecord
from dos.structs import replace, struct
from dos.temporal.evidence import probe_process
from dos.temporal.top_frame import SPAWN_PENDING_MS

__all__ = ["ACTIVITY", "HISTORY", "VERDICT_WINDOW", "Gathered", "TopCursor", "gather"]

VERDICT_WINDOW = 500  # newest verdict records a frame folds (liveness per lane, the list)
HISTORY = 200  # newest commits searched for commits since a grant
ACTIVITY = 10  # commits listed
_OPS_LIMIT = 500  # newest ATTEMPT / SPAWN records kept inside their windows


@struct
class TopCursor:
    """What a frame read, so the next reads only what is newer. Opaque to callers:
    pass ``frame.cursor`` back in."""

    store: str = ""
    verdict_seq: int = 0
    journal_seq: int = 0
    verdicts: tuple[VerdictRecord, ...] = ()  # newest first
    attempts: tuple[JournalRecord, ...] = ()
    spawns: tuple[JournalRecord, ...] = ()
    head: str = ""
    history: tuple[Change, ...] = ()
    history_limit: int = 0


@struct
class Gathered:
    initialized: bool
    now_ms: int
    leases: tuple[Lease, ...]
    ended: tuple[Lease, ...]
    history: tuple[Change, ...] | None  # None: git could not be read (see git_note)
    git_note: str
    alive: dict[int, bool | None]
    cursor: TopCursor


def _wall_now() -> int:
    override = test_clock_ms()
    return override if override is not None else int(time.time() * 1000)


def _verdicts(tx: StoreTx, base: TopCursor) -> TopCursor:
    head = tx.verdict_records(newest_first=True, limit=1)
    top = head[0].seq if head else 0
    if top < base.verdict_seq:  # another journal (a restored or replaced store): start over
        base = replace(base, verdict_seq=0, verdicts=())
    if top == base.verdict_seq:
        return base
    fresh = tx.verdict_records(after_seq=base.verdict_seq, newest_first=True,
                               limit=VERDICT_WINDOW)
    return replace(base, verdict_seq=top, verdicts=(*fresh, *base.verdicts)[:VERDICT_WINDOW])


def _newer(tx: StoreTx, op: str, after: int, since: int,
           kept: tuple[JournalRecord, ...]) -> tuple[JournalRecord, ...]:
    # By op and seq, not by time: the (op, seq) index hands over the newest few directly,
    # where a time range would be walked whole (and everything may be recent).
    fresh = tx.journal_records(op=op, after_seq=after, newest_first=True, limit=_OPS_LIMIT)
    return tuple(record for record in (*fresh, *kept) if record.ts_ms >= since)[:_OPS_LIMIT]


def _ops(tx: StoreTx, base: TopCursor, now_ms: int, leases: list[Lease],
         window_ms: int) -> TopCursor:
    head = tx.journal_records(newest_first=True, limit=1)
    top = head[0].seq if head else 0
    if top < base.journal_seq:
        base = replace(base, journal_seq=0, attempts=(), spawns=())
    if top == base.journal_seq:
        return base
    # ATTEMPTs count only for a lease held now, and only inside the liveness window.
    since = max(now_ms - window_ms, min((lease.acquired_at_ms for lease in leases),
                                        default=now_ms))
    attempts = _newer(tx, "ATTEMPT", base.journal_seq, since, base.attempts) if leases else ()
    spawns = _newer(tx, "SPAWN", base.journal_seq, now_ms - SPAWN_PENDING_MS, base.spawns)
    return replace(base, journal_seq=top, attempts=attempts, spawns=spawns)


def _history(config: SubstrateConfig, base: TopCursor,
             want: int) -> tuple[TopCursor, tuple[Change, ...] | None, str]:
    if base.history_limit >= want and base.head and head_sha(config.root) == base.head:
        return base, base.history, ""
    try:
        changes = tuple(head_changes(config.root, want))
    except GitError as error:
        return replace(base, head="", history=(), history_limit=0), None, error.message
    head = changes[0].sha if changes else ""
    return replace(base, head=head, history=changes, history_limit=want), changes, ""


def _probe(leases: list[Lease]) -> dict[int, bool | None]:
    return {lease.lease_id: probe_process(lease.pid, lease.host_id)[0]
            for lease in leases if lease.pid}


def gather(config: SubstrateConfig, cursor: TopCursor | None = None, *,
           window_ms: int) -> Gathered:
    """One frame's sources (``window_ms``: the liveness window ATTEMPTs count in).
    Raises StoreError for a store that cannot be read; a missing store reads as empty."""
    url = store_url(config)
    base = cursor if cursor is not None and cursor.store == url else TopCursor(store=url)
    with reading(config) as tx:
        if tx is None:
            initialized, now, leases, ended = False, _wall_now(), [], []
            base = replace(TopCursor(store=url), head=base.head, history=base.history,
                           history_limit=base.history_limit)
        else:
            initialized, now = True, tx.now_ms()
            leases = tx.unreleased_leases()
            ended = tx.leases_ended_since(now - SPAWN_PENDING_MS)
            base = _ops(tx, _verdicts(tx, base), now, leases, window_ms)
    base, history, note = _history(config, base, HISTORY if leases else ACTIVITY)
    return Gathered(initialized, now, tuple(leases), tuple(ended), history, note,
                    _probe(leases), base)
