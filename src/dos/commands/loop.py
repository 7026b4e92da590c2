"""dos loop: keep N workers busy — print the spawn / reap plan for the roster."""

from __future__ import annotations

import argparse
import sys

from dos.commands._args import count, epoch_ms, seconds
from dos.drivers.supervisor import TickReport
from dos.limits import MAX_WORKERS
from dos.temporal.supervise import SupervisePlan

_EPILOG = """\
examples:
  dos loop --target 3                   # which lanes to spawn workers on now
  dos loop --target 3 --json
  dos loop --target 3 --record --watch  # the supervisor: record reaps and SPAWN intents

Spawns go to distinct free lanes with disjoint trees; an exclusive lane runs alone.
A lane reaped more than [supervise] max_restarts times within restart_period_s is
escalated, not refilled. dos never starts or stops a process: the host runs the
printed commands. The command that starts a worker is yours, an argument list in
dos.toml ({lane} and {run_id} are filled in; {run_id} only when --record mints it):
  [supervise]
  launch = ["my-agent", "--lane", "{lane}", "--run-id", "{run_id}"]
Without it a spawn names the lane and no command. Exit 0 on every normal path, 2 on
a usage error (an invalid launch included)."""

_NO_LAUNCH = ("no launch command configured: set [supervise] launch = [\"your-agent\", "
              "\"--lane\", \"{lane}\"] in dos.toml")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Plan how to keep the roster at its target number of workers."
    parser.epilog = _EPILOG
    parser.add_argument("--target", type=count(0, MAX_WORKERS), default=None, metavar="N",
                        help="workers wanted (default: [supervise] target, else 1)")
    parser.add_argument("--max-concurrency", type=count(1, MAX_WORKERS), default=None, metavar="N",
                        help="a concurrency budget: autopick lanes may then hold several "
                        "workers, up to N in all")
    parser.add_argument("--record", action="store_true",
                        help="act as the supervisor: record the reaps, the SPAWN intents "
                        "and escalations in the store")
    parser.add_argument("--watch", action="store_true", help="repeat every --interval "
                        "seconds until interrupted")
    parser.add_argument("--interval", type=seconds(), default=30.0, metavar="S",
                        help="seconds between ticks with --watch (default 30)")
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="plan at this epoch-ms time, every tick (default: the store's "
                        "clock)")


def render_text(plan: SupervisePlan) -> list[str]:
    """The plan in the reference's line format."""
    from dos.temporal.supervise import Disposition

    lines = [f"SUPERVISE {plan.verdict.value}: alive {plan.alive}/{plan.target}, "
             f"admissible {plan.admissible}", plan.reason]
    lines += [f"spawn {p.lane}  — run: {p.command}" if p.command else
              f"spawn {p.lane}  — {_NO_LAUNCH}" for p in plan.of(Disposition.SPAWN)]
    lines += [f"reap {p.lane}  (STALLED — the supervisor driver reaps; or release its lease "
              "manually)" for p in plan.of(Disposition.REAP)]
    lines += [f"flag {p.lane}  ({p.reason})" for p in plan.of(Disposition.FLAG)]
    lines += [f"propose-halt {p.lane}  ({p.reason}) — enact with: {p.command}"
              for p in plan.of(Disposition.PROPOSE_HALT)]
    lines += [f"escalate {p.lane}  ({p.reason})" for p in plan.of(Disposition.ESCALATE)]
    return lines


def _recorded(report: TickReport) -> list[str]:
    lines = [f"  recorded: reap of lease #{item['lease_id']} on {item['lane']}"
             for item in report.reaped]
    lines += [f"  recorded: SPAWN on {item['lane']} as {item['run_id']}"
              for item in report.spawned]
    lines += [f"  recorded: escalation of {lane}" for lane in report.escalated]
    lines += [f"  error: {message}" for message in report.errors]
    return lines


def run(*, target: int | None, max_concurrency: int | None, record: bool, watch: bool,
        interval: float, now_ms: int | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import supervision as api
    from dos.render import emit
    from dos.workspace import load_config

    config = load_config(workspace, driver)

    def show(report: TickReport) -> None:
        lines = render_text(report.plan) + (_recorded(report) if record else [])
        emit(api.loop_json(report, record=record), output=output,
             text=lambda _color: "\n".join(lines))
        sys.stdout.flush()

    return api.loop(config, target=target, max_concurrency=max_concurrency, record=record,
                    interval=interval, max_ticks=None if watch else 1, now_ms=now_ms, emit=show)
