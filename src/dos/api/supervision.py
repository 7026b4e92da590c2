"""The timed actors: the watchdog (``dos watch``) and the supervisor (``dos loop``).

Both tick on an interval and hand each tick to ``emit``; neither starts nor stops a
process: they record proposals and print commands for the host to run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypedDict, cast

from dos.api.track import parse_track
from dos.config import SubstrateConfig
from dos.drivers.supervisor import TickReport
from dos.drivers.watchdog import TrackedRun, WatchActions
from dos.errors import UsageError
from dos.render import with_schema
from dos.temporal.supervise import SupervisePolicy

__all__ = ["LoopJSON", "WatchJSON", "loop", "loop_json", "parse_track", "watch", "watch_json"]

class WatchJSON(TypedDict):
    """``dos watch --json``: one line per tick."""

    watched: int
    proposed_halts: list[str]
    already_proposed: list[str]
    advancing: list[str]
    spinning: list[str]
    stalled_within_budget: list[str]
    skipped: list[str]
    errors: dict[str, str]
    verdicts: dict[str, str]
    commands: dict[str, str | None]
    now_ms: int
    schema: dict[str, Any]


class LoopJSON(TypedDict, total=False):
    """``dos loop --json``: the plan of one tick (and, with ``--record``, what was recorded)."""

    verdict: str
    reason: str
    alive: int
    admissible: int
    target: int
    spawn: list[dict[str, Any]]
    reap: list[dict[str, Any]]
    flag: list[dict[str, Any]]
    proposed_halt: list[dict[str, Any]]
    escalate: list[dict[str, Any]]
    evidence: dict[str, Any]
    now_ms: int
    recorded: dict[str, Any]
    schema: dict[str, Any]


def _declared(config: SubstrateConfig, tracked: TrackedRun) -> TrackedRun:
    """The run with its lane as declared (a lane the workspace does not declare is a
    usage error, as everywhere a lane is named)."""
    if not tracked.lane:
        return tracked
    from dos.admission.declared import declared_lane
    from dos.structs import replace

    return replace(tracked, lane=declared_lane(config, tracked.lane, flag="--track lane"))


def _check_ticks(max_ticks: int | None, interval: float) -> None:
    if max_ticks is not None and max_ticks < 1:
        raise UsageError(f"--max-ticks must be 1 or more, got {max_ticks}",
                         hint="omit it for one tick, or use --watch to tick until stopped")
    if not interval >= 0:
        raise UsageError(f"--interval must be 0 or more seconds, got {interval}")


def watch(config: SubstrateConfig, *, tracked: Sequence[TrackedRun] = (),
          discover: bool = False, budget_ms: int | None = None, command: str = "",
          repropose_ms: int | None = None, interval: float = 300.0,
          max_ticks: int | None = 1, now_ms: int | None = None,
          emit: Callable[[WatchActions], None] = lambda _actions: None) -> int:
    """Assess the tracked (and, with ``discover``, every leased) run each tick and record
    a halt proposal for a SPINNING run or one STALLED past ``budget_ms``. ``max_ticks``
    None ticks until interrupted. Returns 0 on a clean stop."""
    from dos.api.temporal import non_negative
    from dos.drivers import watchdog

    tracked = [_declared(config, run) for run in tracked]
    for flag, value in (("--now-ms", now_ms), ("--budget-ms", budget_ms),
                        ("--repropose-ms", repropose_ms)):
        non_negative(flag, value)
    _check_ticks(max_ticks, interval)
    if not tracked and not discover:
        raise UsageError("no runs to watch",
                         hint="pass --track <run_id[:sha[:lane[:loop_ts[:handle]]]]> "
                              "(repeatable) and/or --discover")
    return watchdog.run(
        config, tracked_runs=tracked, discover=discover, budget_ms=budget_ms,
        stop_command=command, interval=interval, max_ticks=max_ticks,
        repropose_ms=watchdog.DEFAULT_REPROPOSE_MS if repropose_ms is None else repropose_ms,
        now_ms=now_ms, emit=emit)


def watch_json(actions: WatchActions) -> WatchJSON:
    return cast(WatchJSON, with_schema(actions.to_dict(), "watch"))


def loop(config: SubstrateConfig, *, target: int | None = None,
         max_concurrency: int | None = None, record: bool = False, interval: float = 30.0,
         max_ticks: int | None = 1, now_ms: int | None = None,
         emit: Callable[[TickReport], None] = lambda _report: None) -> int:
    """Plan, each tick, how to keep ``target`` workers busy (``[supervise]`` by default);
    with ``record``, act as the supervisor and record reaps, SPAWN intents and
    escalations. ``max_ticks`` None ticks until interrupted. Returns 0 on a clean stop."""
    from dos.api.temporal import non_negative
    from dos.drivers import supervisor

    non_negative("--now-ms", now_ms)
    _check_ticks(max_ticks, interval)
    policy = SupervisePolicy.from_table(config.table("supervise"), target=target,
                                        max_concurrency=max_concurrency)
    if record:
        return supervisor.run(config, policy, interval=interval, max_ticks=max_ticks,
                              now_ms=now_ms, emit=emit)
    return _plan_only(config, policy, interval=interval, max_ticks=max_ticks, now_ms=now_ms,
                      emit=emit)


def _plan_only(config: SubstrateConfig, policy: SupervisePolicy, *, interval: float,
               max_ticks: int | None, now_ms: int | None,
               emit: Callable[[TickReport], None]) -> int:
    import time

    from dos.drivers.supervisor import plan_tick
    from dos.temporal.evidence import store_now_ms

    ticks = 0
    while max_ticks is None or ticks < max_ticks:
        if ticks:
            time.sleep(interval)
        now = now_ms if now_ms is not None else store_now_ms(config)
        emit(TickReport(plan=plan_tick(config, policy, now_ms=now), now_ms=now))
        ticks += 1
    return 0


def loop_json(report: TickReport, *, record: bool) -> LoopJSON:
    """The tick's plan; with ``record``, also the time and what was recorded."""
    payload = report.to_dict() if record else report.plan.to_dict()
    return cast(LoopJSON, with_schema(payload, "loop"))
