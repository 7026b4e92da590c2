"""The watchdog: asks liveness about a set of runs on a timer, from its own process,
and records a halt proposal for each run that warrants one.

It judges with the same evidence path as ``dos liveness`` (:func:`dos.temporal.evidence.judge_run`),
records halts through :func:`dos.admission.lane_lease.halt`, and never signals or starts a
process: the proposal carries the stop command, the host runs it. Its memory of
what it proposed lives in the store, so one tick per invocation (cron) proposes
once per episode, exactly like a long-running watchdog.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from dos.admission import lane_lease
from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.run_id import is_run_id
from dos.store import reading, updating, writing
from dos.structs import field, struct
from dos.temporal.evidence import judge_run, store_now_ms
from dos.temporal.liveness import Liveness, LivenessVerdict, run_age_ms

__all__ = [
    "DEFAULT_INTERVAL_S",
    "DEFAULT_REPROPOSE_MS",
    "MEMORY_NAMESPACE",
    "TrackedRun",
    "WatchActions",
    "assess_run",
    "discover_tracked_runs",
    "halt_reason",
    "run",
    "tick",
]

DEFAULT_INTERVAL_S = 300.0
DEFAULT_REPROPOSE_MS = 1_800_000
MEMORY_NAMESPACE = "watchdog.proposals"

HaltFn = Callable[..., Any]


@struct
class TrackedRun:
    """One run to watch. ``handle`` is opaque (a pid, a container, a task id) and is only
    recorded; ``budget_ms`` is how long a STALLED run may stay so before a halt is proposed."""

    run_id: str
    start_sha: str = ""
    lane: str = ""
    loop_ts: str = ""
    handle: str = ""
    budget_ms: int | None = None
    stop_command: str = ""
    ref: str = "HEAD"

    def command(self) -> str | None:
        if not self.stop_command:
            return None
        text = self.stop_command
        for name, value in (("run_id", self.run_id), ("lane", self.lane),
                            ("handle", self.handle)):
            text = text.replace("{" + name + "}", value)
        return text


@struct(frozen=False)
class WatchActions:
    """What one tick saw and did; run ids in each list."""

    watched: int = 0
    proposed_halts: list[str] = field(default_factory=list)
    already_proposed: list[str] = field(default_factory=list)
    advancing: list[str] = field(default_factory=list)
    spinning: list[str] = field(default_factory=list)
    stalled_within_budget: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)
    commands: dict[str, str | None] = field(default_factory=dict)
    now_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"watched": self.watched, "proposed_halts": self.proposed_halts,
                "already_proposed": self.already_proposed, "advancing": self.advancing,
                "spinning": self.spinning, "stalled_within_budget": self.stalled_within_budget,
                "skipped": self.skipped, "errors": self.errors, "verdicts": self.verdicts,
                "commands": self.commands, "now_ms": self.now_ms}


def assess_run(config: SubstrateConfig, tracked: TrackedRun, *, now_ms: int
               ) -> LivenessVerdict | None:
    """The run's liveness exactly as ``dos liveness`` would judge it; None for a bad id."""
    if not is_run_id(tracked.run_id):
        return None
    verdict, _trail, _commits = judge_run(
        config, run_id=tracked.run_id.upper(), now_ms=now_ms, start_sha=tracked.start_sha,
        ref=tracked.ref or "HEAD", lane=tracked.lane, loop_ts=tracked.loop_ts)
    return verdict


def halt_reason(tracked: TrackedRun, verdict: LivenessVerdict) -> str | None:
    """Why this run warrants a halt now, or None: spinning always does; stalled does
    once past its budget (a start in our future counts as past it: skew is not youth)."""
    if verdict.verdict is Liveness.SPINNING:
        return "watchdog: SPINNING (alive, no forward progress)"
    if verdict.verdict is not Liveness.STALLED:
        return None
    age = run_age_ms(verdict.evidence)
    if tracked.budget_ms is None or age < 0 or age >= tracked.budget_ms:
        return "watchdog: STALLED (hung past budget)"
    return None


def _claim(config: SubstrateConfig, run_id: str, now_ms: int, repropose_ms: int,
           verdict: str) -> bool:
    """Atomically take the right to propose for this episode (one store transaction)."""
    with writing(config) as tx:
        last = tx.recall(MEMORY_NAMESPACE, run_id)
        if isinstance(last, dict) and isinstance(last.get("proposed_ms"), int) \
                and now_ms - last["proposed_ms"] < repropose_ms:
            return False
        tx.remember(MEMORY_NAMESPACE, run_id, {"proposed_ms": now_ms, "verdict": verdict})
        return True


def _forget(config: SubstrateConfig, run_id: str) -> None:
    """A recovered run's episode is over: a later relapse earns a fresh proposal."""
    with reading(config) as tx:
        remembered = tx is not None and tx.recall(MEMORY_NAMESPACE, run_id) is not None
    if not remembered:
        return  # the common case: no write transaction for a healthy run
    with updating(config) as tx:
        if tx is not None:
            tx.forget(MEMORY_NAMESPACE, run_id)


def _dedupe(runs: Iterable[TrackedRun]) -> list[TrackedRun]:
    seen: dict[str, TrackedRun] = {}
    for tracked in runs:
        seen.setdefault(tracked.run_id.upper() if is_run_id(tracked.run_id)
                        else tracked.run_id, tracked)
    return list(seen.values())


def tick(config: SubstrateConfig, runs: Sequence[TrackedRun], *, now_ms: int,
         repropose_ms: int = DEFAULT_REPROPOSE_MS, halt: HaltFn = lane_lease.halt
         ) -> WatchActions:
    """Assess each run once and record a halt for those that warrant one."""
    unique = _dedupe(runs)
    actions = WatchActions(watched=len(unique), now_ms=now_ms)
    for tracked in unique:
        _tick_one(config, tracked, actions, now_ms=now_ms, repropose_ms=repropose_ms,
                  halt=halt)
    return actions


def _tick_one(config: SubstrateConfig, tracked: TrackedRun, actions: WatchActions, *,
              now_ms: int, repropose_ms: int, halt: HaltFn) -> None:
    rid = tracked.run_id
    try:
        verdict = assess_run(config, tracked, now_ms=now_ms)
    except DosError as error:
        actions.skipped.append(rid)
        actions.errors[rid] = error.message
        return
    if verdict is None:
        actions.skipped.append(rid)
        actions.errors[rid] = "not a run id"
        return
    actions.verdicts[rid] = verdict.verdict.value
    if verdict.verdict is Liveness.UNKNOWN:  # no halt for a run nothing knows of
        actions.skipped.append(rid)
        actions.errors[rid] = verdict.reason
        return
    if verdict.verdict is Liveness.ADVANCING:
        actions.advancing.append(rid)
        _forget(config, rid.upper())
        return
    if verdict.verdict is Liveness.SPINNING:
        actions.spinning.append(rid)
    reason = halt_reason(tracked, verdict)
    if reason is None:
        actions.stalled_within_budget.append(rid)
        return
    _propose(config, tracked, verdict, reason, actions, now_ms=now_ms,
             repropose_ms=repropose_ms, halt=halt)


def _propose(config: SubstrateConfig, tracked: TrackedRun, verdict: LivenessVerdict,
             reason: str, actions: WatchActions, *, now_ms: int, repropose_ms: int,
             halt: HaltFn) -> None:
    rid = tracked.run_id.upper()
    if not _claim(config, rid, now_ms, repropose_ms, verdict.verdict.value):
        actions.already_proposed.append(tracked.run_id)
        return
    try:
        halt(config, handle=tracked.handle, lane=tracked.lane, loop_ts=tracked.loop_ts,
             owner="watchdog", reason=reason, run_id=rid, command=tracked.command())
    except DosError as error:
        _forget(config, rid)  # not recorded: let the next tick try again
        actions.errors[tracked.run_id] = f"halt not recorded: {error.message}"
        return
    actions.proposed_halts.append(tracked.run_id)
    actions.commands[tracked.run_id] = tracked.command()


def discover_tracked_runs(config: SubstrateConfig, *, budget_ms: int | None = None,
                          stop_command: str = "", now_ms: int | None = None
                          ) -> tuple[list[TrackedRun], list[str]]:
    """Runs holding live leases, and the leases that name no run (as ``lease#N``)."""
    runs, unnamed = [], []
    for lease in lane_lease.live_leases(config, now_ms):
        rid = lease.run_id if is_run_id(lease.run_id) else \
            lease.loop_ts if is_run_id(lease.loop_ts) else ""
        if not rid:
            unnamed.append(f"lease#{lease.lease_id}")
            continue
        runs.append(TrackedRun(
            run_id=rid.upper(), lane=lease.lane, loop_ts=lease.loop_ts,
            handle="" if lease.pid is None else str(lease.pid), budget_ms=budget_ms,
            stop_command=stop_command))
    return runs, unnamed


def run(config: SubstrateConfig, *, tracked_runs: Sequence[TrackedRun] = (),
        discover: bool = False, budget_ms: int | None = None, stop_command: str = "",
        interval: float = DEFAULT_INTERVAL_S, max_ticks: int | None = 1,
        repropose_ms: int = DEFAULT_REPROPOSE_MS, now_ms: int | None = None,
        emit: Callable[[WatchActions], None] = lambda _actions: None,
        sleep: Callable[[float], None] = time.sleep, halt: HaltFn = lane_lease.halt) -> int:
    """Tick until ``max_ticks`` (None: until interrupted); a pinned ``now_ms`` is reused
    for every tick. Ctrl-C propagates: the CLI reports it as exit 130, not a clean stop."""
    ticks = 0
    while True:
        now = now_ms if now_ms is not None else store_now_ms(config)
        runs = list(tracked_runs)
        unnamed: list[str] = []
        if discover:
            found, unnamed = discover_tracked_runs(
                config, budget_ms=budget_ms, stop_command=stop_command, now_ms=now)
            runs += found
        actions = tick(config, runs, now_ms=now, repropose_ms=repropose_ms, halt=halt)
        actions.skipped += unnamed
        emit(actions)
        ticks += 1
        if max_ticks is not None and ticks >= max_ticks:
            return 0
        sleep(interval)
