"""``dos reap``: housekeeping that removes only what it can prove dead.

Three kinds: unreleased leases whose TTL has passed by the store's clock (ended as REAP
through the lease code, so the journal records each), runs that are provably dead
(:mod:`dos.temporal.reaping`; marked REAPED in their ledger, and their unit's attempt
recorded as abandoned), and temporary files dos left in ``.dos/`` (:mod:`dos.store.scratch`).
A dry run (the default) reads only and creates nothing; ``apply`` acts.
"""

from __future__ import annotations

from typing import Any

from dos.admission.lease import Lease
from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.store import StoreTx
from dos.structs import struct
from dos.verdicts.recovery import ReapToken

__all__ = ["DeadRun", "Reaping", "reap", "reap_json"]

DEFAULT_GRACE_S = 300.0


@struct
class DeadRun:
    run_id: str
    reason: str
    unit: str = ""
    lane: str = ""


@struct
class Reaping:
    applied: bool
    leases: tuple[Lease, ...] = ()
    runs: tuple[DeadRun, ...] = ()
    files: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()

    @property
    def found(self) -> int:
        return len(self.leases) + len(self.runs) + len(self.files)

    @property
    def token(self) -> ReapToken:
        if not self.found:
            return ReapToken.CLEAN
        return ReapToken.REAPED if self.applied else ReapToken.WOULD_REAP


def _probe(lease: Lease) -> bool | None:
    from dos.temporal.evidence import probe_process

    return probe_process(lease.pid, lease.host_id)[0] if lease.pid else None


def _dead_runs(tx: StoreTx, now: int, grace_ms: int) -> list[DeadRun]:
    from dos.temporal.ledger import fold
    from dos.temporal.reaping import dead_because

    dead = []
    for run_id in tx.runs_with_intents():
        ledger = fold(run_id, tx.intents(run_id))
        leases = tx.run_leases(run_id)
        why = dead_because(ledger, leases, now_ms=now, grace_ms=grace_ms,
                           process_alive={lease.lease_id: _probe(lease) for lease in leases})
        if why:
            dead.append(DeadRun(run_id, why, ledger.unit, ledger.lane))
    return dead


def _mark(tx: StoreTx, runs: list[DeadRun], by: str) -> None:
    from dos.store.intents import IntentEntry

    for run in runs:
        tx.append_intent(IntentEntry(run.run_id, "REAPED", payload={"reason": run.reason,
                                                                     "by": by}))
        if run.unit:
            tx.record_attempt(unit_id=run.unit, outcome="abandoned", lane=run.lane,
                              run_id=run.run_id, holder=by, detail={"reason": "reaped"})


def _in_store(config: SubstrateConfig, *, apply: bool,
              grace_ms: int) -> tuple[list[Lease], list[DeadRun]]:
    from dos.admission.holder import resolve_owner
    from dos.admission.lease_ops import reap_expired
    from dos.store import reading, updating

    by = resolve_owner("", allow_host_pid=True)
    with (updating if apply else reading)(config) as tx:
        if tx is None:
            return [], []
        now = tx.now_ms()
        if not apply:
            expired = [lease for lease in tx.unreleased_leases() if not lease.is_live(now)]
            return expired, _dead_runs(tx, now, grace_ms)
        ended = reap_expired(tx, now, by=by, reason=f"dos reap by {by}: ttl passed")
        runs = _dead_runs(tx, now, grace_ms)
        _mark(tx, runs, by)
        return ended, runs


def reap(config: SubstrateConfig, *, apply: bool = False,
         grace_seconds: float = DEFAULT_GRACE_S) -> Reaping:
    """What is provably dead (and, with ``apply``, end it). A run's ledger must have
    been quiet for ``grace_seconds`` before the run can be called dead."""
    from dos.store import scratch
    from dos.temporal.evidence import probe_process

    leases, runs = _in_store(config, apply=apply, grace_ms=int(grace_seconds * 1000))
    root = str(config.root)
    found = scratch.scan(root, lambda pid: probe_process(pid)[0])
    files = scratch.remove(root, found.dead) if apply else found.dead
    return Reaping(apply, tuple(leases), tuple(runs),
                   tuple(f"{scratch.STATE_DIR}/{name}" for name in files), found.refused)


def reap_json(result: Reaping) -> dict[str, Any]:
    return with_schema({  # type: ignore[no-any-return]
        "verdict": result.token.value, "applied": result.applied,
        "leases": [{"lease_id": lease.lease_id, "lane": lease.lane, "holder": lease.holder,
                    "run_id": lease.run_id,
                    "expired_at_ms": lease.renewed_at_ms + lease.ttl_ms}
                   for lease in result.leases],
        "runs": [{"run_id": run.run_id, "reason": run.reason, "unit": run.unit}
                 for run in result.runs],
        "files": list(result.files), "refused": list(result.refused),
        "found": result.found}, "reap")
