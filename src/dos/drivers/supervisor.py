"""The supervisor: keeps the roster at its target by recording reaps and spawn intents.

Each tick reads the roster from the store, asks :func:`dos.temporal.supervise.supervise` for
a plan, and records it: a STALLED worker's lease is reaped, each spawn is written as
a SPAWN record (with a child run id and the launch command) for the host to start,
and a lane that keeps dying is escalated instead of refilled. It never starts or
signals a process. Pending spawns and reaps live in the store, so a reap and a
refill in one tick are still remembered by the next.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dos.admission import lane_lease
from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.run_id import mint
from dos.store import writing
from dos.structs import field, struct
from dos.temporal.evidence import store_now_ms
from dos.temporal.evidence_supervise import DEFAULT_PENDING_MS, roster_states
from dos.temporal.supervise import Disposition, LanePlan, SupervisePlan, SupervisePolicy, supervise

__all__ = ["ESCALATIONS", "OWNER", "TickReport", "plan_tick", "run", "tick"]

OWNER = "supervisor"
ESCALATIONS = "supervisor.escalations"


@struct(frozen=False)
class TickReport:
    """The plan, and what this tick recorded for it."""

    plan: SupervisePlan
    now_ms: int
    reaped: list[dict[str, Any]] = field(default_factory=list)
    spawned: list[dict[str, Any]] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**self.plan.to_dict(), "now_ms": self.now_ms,
                "recorded": {"reaped": self.reaped, "spawned": self.spawned,
                             "escalated": self.escalated, "errors": self.errors}}


def plan_tick(config: SubstrateConfig, policy: SupervisePolicy, *, now_ms: int,
              pending_ms: int = DEFAULT_PENDING_MS) -> SupervisePlan:
    """The plan for ``now_ms``; reads only."""
    view = roster_states(config, policy, now_ms=now_ms, pending_ms=pending_ms)
    return supervise(view.states, policy)


def _reap(config: SubstrateConfig, plan: LanePlan, report: TickReport) -> None:
    if plan.lease_id is None:
        return
    result = lane_lease.reap(config, lease_id=plan.lease_id, force=True, owner=OWNER,
                             reason=f"supervisor: STALLED — {plan.reason}")
    if result.reaped:
        report.reaped.append({"lane": plan.lane, "lease_id": plan.lease_id,
                              "run_id": plan.run_id})
    else:
        report.errors.append(f"reap of lease #{plan.lease_id} not recorded: {result.reason}")


def _spawn(config: SubstrateConfig, policy: SupervisePolicy, plan: LanePlan,
           report: TickReport, root: str) -> None:
    child = mint("dos-dispatch-loop", parent=root)
    command = policy.launch_command(plan.lane, run_id=child.run_id)
    result = lane_lease.spawn(config, lane=plan.lane, owner=OWNER, run_id=child.run_id,
                              reason=f"supervisor: run {command}" if command else
                              "supervisor: spawn (no [supervise] launch configured)")
    report.spawned.append({"lane": plan.lane, "run_id": child.run_id,
                           "command": command, "seq": result.seq})


def _escalate(config: SubstrateConfig, plan: LanePlan, report: TickReport, now_ms: int
              ) -> None:
    with writing(config) as tx:
        if tx.recall(ESCALATIONS, plan.lane) is None:
            tx.remember(ESCALATIONS, plan.lane, {"since_ms": now_ms, "reason": plan.reason})
    report.escalated.append(plan.lane)


def tick(config: SubstrateConfig, policy: SupervisePolicy, *, now_ms: int, root_run_id: str,
         pending_ms: int = DEFAULT_PENDING_MS) -> TickReport:
    """Plan and record: reaps first, so a refilled lane's tree is free, then spawns."""
    report = TickReport(plan=plan_tick(config, policy, now_ms=now_ms, pending_ms=pending_ms),
                        now_ms=now_ms)
    actions: list[tuple[Disposition, Callable[[LanePlan], None]]] = [
        (Disposition.REAP, lambda plan: _reap(config, plan, report)),
        (Disposition.ESCALATE, lambda plan: _escalate(config, plan, report, now_ms)),
        (Disposition.SPAWN, lambda plan: _spawn(config, policy, plan, report, root_run_id)),
    ]
    for disposition, act in actions:
        for plan in report.plan.of(disposition):
            try:
                act(plan)
            except DosError as error:
                report.errors.append(f"{disposition.value.lower()} {plan.lane}: "
                                     f"{error.message}")
    return report


def run(config: SubstrateConfig, policy: SupervisePolicy, *, interval: float = 30.0,
        max_ticks: int | None = None, now_ms: int | None = None,
        pending_ms: int = DEFAULT_PENDING_MS,
        emit: Callable[[TickReport], None] = lambda _report: None,
        sleep: Callable[[float], None] = time.sleep) -> int:
    """Tick until ``max_ticks``; None ticks until Ctrl-C, which propagates (exit 130)."""
    root = mint("dos-supervise").run_id
    ticks = 0
    while True:
        now = now_ms if now_ms is not None else store_now_ms(config)
        emit(tick(config, policy, now_ms=now, root_run_id=root, pending_ms=pending_ms))
        ticks += 1
        if max_ticks is not None and ticks >= max_ticks:
            return 0
        sleep(interval)
