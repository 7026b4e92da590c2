"""Gathering liveness evidence for one run: its leases, its journal, its commits.

Everything is read through the store API (the store's clock, its lease table, its
journal) and :mod:`dos.git.progress`; the verdict itself stays pure in
:mod:`dos.temporal.liveness`. A run is found by its run id; a ``(lane, loop_ts)`` pair, when
given, adds the leases with that identity.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence

from dos.admission.holder import host_id
from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.git.progress import (
    Commit,
    StartNotInHistoryError,
    commits_in_tree,
    commits_since,
    resolve_commit,
)
from dos.run_id import ts_ms_of
from dos.store import reading, test_clock_ms
from dos.structs import struct
from dos.temporal.liveness import LivenessEvidence, LivenessPolicy, LivenessVerdict, classify

TYPE_CHECKING = False  # the store's row types are only named here
if TYPE_CHECKING:
    from dos.store import StoreTx
    from dos.store.journal import JournalRecord

__all__ = [
    "PROGRESS_OPS",
    "RunTrail",
    "iter_records",
    "iter_run_records",
    "judge_run",
    "liveness_evidence",
    "probe_process",
    "run_trail",
    "store_now_ms",
]

# Journal ops that show a run moving on: a new lease (the next unit of work) or a
# finished attempt. Releases, reaps, expiries, halts and heartbeats never count.
PROGRESS_OPS = frozenset({"ACQUIRE", "ATTEMPT"})
_PAGE = 1000


def store_now_ms(config: SubstrateConfig) -> int:
    """The store's clock (with its test override); the wall clock when no store exists."""
    with reading(config) as tx:
        if tx is not None:
            return tx.now_ms()
    override = test_clock_ms()
    return override if override is not None else int(time.time() * 1000)


def iter_records(tx: StoreTx, *, op: str | None = None,
                 since_ms: int | None = None) -> Iterator[JournalRecord]:
    """Every journal record (of ``op``, stamped at or after ``since_ms``), in seq order."""
    return _paged(lambda after: tx.journal_records(after_seq=after, limit=_PAGE, op=op,
                                                   since_ms=since_ms))


def iter_run_records(tx: StoreTx, run_id: str, *, lease_ids: Sequence[int] = (),
                     op: str | None = None,
                     since_ms: int | None = None) -> Iterator[JournalRecord]:
    """The records carrying ``run_id`` or one of ``lease_ids`` (of ``op``, stamped at or
    after ``since_ms``), in seq order: read from the store's indexes, so a run's trail
    costs its own records however long the journal."""
    return _paged(lambda after: tx.run_records(run_id, lease_ids=lease_ids, after_seq=after,
                                               limit=_PAGE, op=op, since_ms=since_ms))


def _paged(read: Callable[[int], list[JournalRecord]]) -> Iterator[JournalRecord]:
    """The records ``read(after_seq)`` gives page after page, until a short page."""
    after = 0
    while True:
        page = read(after)
        yield from page
        if len(page) < _PAGE:
            return
        after = page[-1].seq


@struct
class RunTrail:
    """What the store holds about one run: its leases (oldest first) and the journal
    records attributed to it."""

    run_id: str
    leases: tuple[Lease, ...]
    records: tuple[JournalRecord, ...]

    @property
    def first_lease_id(self) -> int | None:
        return self.leases[0].lease_id if self.leases else None

    def live_lease(self, now_ms: int) -> Lease | None:
        live = [lease for lease in self.leases if lease.is_live(now_ms)]
        return live[-1] if live else None

    def unreleased(self) -> list[Lease]:
        return [lease for lease in self.leases if lease.released_at_ms is None]


def run_trail(tx: StoreTx, run_id: str, *, lane: str = "", loop_ts: str = "",
              since_ms: int | None = None) -> RunTrail:
    """The run's leases and its journal records (from ``since_ms`` on, if given)."""
    leases = tx.run_leases(run_id, lane=lane, loop_ts=loop_ts)
    ids = sorted({lease.lease_id for lease in leases})
    records = tuple(iter_run_records(tx, run_id, lease_ids=ids, since_ms=since_ms))
    return RunTrail(run_id=run_id, leases=tuple(leases), records=records)


def _progress_events(trail: RunTrail, since_ms: int, now_ms: int) -> list[JournalRecord]:
    # The run's first lease is its birth, not progress.
    return [record for record in trail.records
            if record.op in PROGRESS_OPS and since_ms <= record.ts_ms <= now_ms
            and not (record.op == "ACQUIRE" and record.lease_id == trail.first_lease_id)]


def _heartbeat_age(trail: RunTrail, now_ms: int) -> int | None:
    # A released lease was given up: its last renewal proves nothing about the run now.
    beats = [lease.renewed_at_ms for lease in trail.unreleased()]
    return max(0, now_ms - max(beats)) if beats else None


def _started_ms(trail: RunTrail, run_id: str) -> int | None:
    # The first lease was granted by the store's clock, so a fast clock on the host
    # that minted the run id cannot make the run look younger than it is.
    if trail.leases:
        return min(lease.acquired_at_ms for lease in trail.leases)
    return ts_ms_of(run_id) if run_id else None


def _lease_commits(config: SubstrateConfig, trail: RunTrail, ref: str) -> list[Commit]:
    """Without an explicit start SHA: the commits since the run's first lease was granted
    that change its lanes' trees — no one else may write there while it holds them."""
    starts = [lease for lease in trail.leases if lease.start_sha]
    if not starts:
        return []
    globs = tuple(glob for lease in trail.leases for glob in lease.tree)
    try:
        return commits_in_tree(config.root, starts[0].start_sha, globs, ref)
    except StartNotInHistoryError:
        return []  # the recorded start left the history (a rewrite): no commit rung


def _in_journal(tx: StoreTx, run_id: str) -> bool:
    """Whether any journal record, however old, carries ``run_id``."""
    return tx.run_in_journal(run_id)


def liveness_evidence(
    config: SubstrateConfig, *, run_id: str, now_ms: int, policy: LivenessPolicy,
    start_sha: str = "", ref: str = "HEAD", lane: str = "", loop_ts: str = "",
    heartbeat_age_ms: int | None = None, process_alive: bool | None = None,
    vouched: bool = False,
) -> tuple[LivenessEvidence, RunTrail, list[Commit]]:
    """Everything :func:`dos.temporal.liveness.classify` needs about ``run_id`` at ``now_ms``.
    ``vouched``: the caller holds the run's lease, so the run is known whatever its id.

    Raises GitError for a bad start SHA or ref, StoreError for an unreadable store.
    """
    if ref.strip() not in ("", "HEAD"):
        resolve_commit(config.root, ref, what="--ref")  # a typo must not read as "no commits"
    since = now_ms - policy.window_ms
    known = vouched or bool(start_sha) or heartbeat_age_ms is not None \
        or process_alive is not None
    with reading(config) as tx:
        trail = run_trail(tx, run_id, lane=lane, loop_ts=loop_ts, since_ms=since) if tx else \
            RunTrail(run_id, (), ())
        known = known or bool(trail.leases or trail.records) or (
            tx is not None and _in_journal(tx, run_id))
    commits = commits_since(config.root, start_sha, ref) if start_sha else \
        _lease_commits(config, trail, ref)
    recent = [commit for commit in commits if commit.committed_ms >= since]
    events = _progress_events(trail, since, now_ms)
    moments = [c.committed_ms for c in commits] + [r.ts_ms for r in events]
    started = _started_ms(trail, run_id)
    evidence = LivenessEvidence(
        run_started_ms=now_ms if started is None else started, now_ms=now_ms,
        commits_since_start=len(commits), commits_in_window=len(recent),
        journal_events_in_window=len(events),
        last_heartbeat_age_ms=heartbeat_age_ms if heartbeat_age_ms is not None
        else _heartbeat_age(trail, now_ms),
        last_progress_age_ms=max(0, now_ms - max(moments)) if moments else None,
        process_alive=process_alive, run_known=known)
    return evidence, trail, commits


def judge_run(
    config: SubstrateConfig, *, run_id: str, now_ms: int, start_sha: str = "",
    ref: str = "HEAD", lane: str = "", loop_ts: str = "", heartbeat_age_ms: int | None = None,
    process_alive: bool | None = None, vouched: bool = False,
) -> tuple[LivenessVerdict, RunTrail, list[Commit]]:
    """Gather and classify with the workspace's ``[liveness]`` policy: the one path
    ``dos liveness``, ``dos status`` and the watchdog share, so they cannot disagree."""
    policy = LivenessPolicy.from_settings(config.liveness)
    evidence, trail, commits = liveness_evidence(
        config, run_id=run_id, now_ms=now_ms, policy=policy, start_sha=start_sha, ref=ref,
        lane=lane, loop_ts=loop_ts, heartbeat_age_ms=heartbeat_age_ms,
        process_alive=process_alive, vouched=vouched)
    return classify(evidence, policy), trail, commits


def probe_process(pid: int | None, on_host: str = "") -> tuple[bool | None, str]:  # noqa: PLR0911 - one return per rung of the ladder
    """Is ``pid`` alive on this host? True, False (confirmed gone) or None (cannot say)."""
    if pid is None or pid <= 0:
        return None, "no probeable pid"
    if on_host and on_host != host_id():
        return None, f"pid {pid} is on host {on_host}, not this one"
    if sys.platform == "win32":  # os.kill would terminate the process there
        return None, "process probing is not supported on Windows"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False, f"pid {pid} is gone (no such process)"
    except PermissionError:
        return True, f"pid {pid} exists (owned by another user)"
    except OSError as exc:
        return None, f"pid {pid} could not be probed: {exc.strerror}"
    return True, f"pid {pid} is alive"
