"""dos watch: run the watchdog — assess runs on a timer and record halt proposals."""

from __future__ import annotations

import argparse
import sys

from dos.commands._args import count, duration_ms, epoch_ms, seconds
from dos.drivers.watchdog import WatchActions

_EPILOG = """\
examples:
  dos watch --track RID-1M8HSC4V72JNYG0:3f2a9c1 --command "kill 4242"
  dos watch --track 'RID-1M8HSC4V72JNYG0::main:2026-11-28T19:09:34Z:4242'
  dos watch --track '{"run_id": "RID-1M8HSC4V72JNYG0", "ref": "agent/auth"}'
  dos watch --discover --budget-ms 1800000 --command "kill {handle}"   # from cron

A --track spec is run_id[:start_sha[:lane[:loop_ts[:handle]]]] (an ISO loop_ts with
colons is fine) or a JSON object with those keys (plus budget_ms, command, ref).
--command may use {run_id}, {lane} and {handle}. The watchdog records proposals; it
never signals a process. It remembers its proposals in the store, so running it once
per minute proposes once per episode. A run nothing knows is skipped (verdict UNKNOWN),
never taken for a young run. Exit 0 on every normal path; 2 for a spec that names no
run, a malformed or mistyped spec, or a lane dos.toml does not declare."""



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Assess tracked (and/or discovered) runs with the same liveness "
                          "verdict as `dos liveness`; record a HALT proposal for a "
                          "SPINNING run or one STALLED past its budget.")
    parser.epilog = _EPILOG
    parser.add_argument("--track", action="append", default=[], metavar="SPEC",
                        help="a run to watch (repeatable); see the spec grammar below")
    parser.add_argument("--discover", action="store_true",
                        help="also watch every run that holds a live lease")
    parser.add_argument("--budget-ms", type=duration_ms(), default=None, metavar="MS",
                        help="how long a run may stay STALLED before a halt is proposed "
                        "(default: none — propose at once)")
    parser.add_argument("--command", default="", metavar="CMD",
                        help="the stop command each proposal carries (tracked and "
                        "discovered runs)")
    parser.add_argument("--repropose-ms", type=duration_ms(), default=None, metavar="MS",
                        help="propose again for the same run after this long "
                        "(default 1800000)")
    parser.add_argument("--watch", action="store_true", help="tick until interrupted")
    parser.add_argument("--max-ticks", type=count(1), default=None, metavar="N",
                        help="tick N times, sleeping --interval between (default 1)")
    parser.add_argument("--interval", type=seconds(), default=300.0, metavar="S",
                        help="seconds between ticks (default 300)")
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="judge at this epoch-ms time, every tick (default: the "
                        "store's clock)")


def render_text(actions: WatchActions) -> list[str]:
    """The tick as text lines."""
    lines = [f"WATCH {actions.watched} run(s): {len(actions.advancing)} advancing, "
             f"{len(actions.spinning)} spinning, {len(actions.proposed_halts)} halt proposed"]
    for rid in actions.proposed_halts:
        command = actions.commands.get(rid) or "(no command — stop by hand)"
        lines.append(f"  HALT proposed: {rid} ({actions.verdicts[rid]}) — run: {command}")
    lines += [f"  already proposed: {rid} ({actions.verdicts[rid]}) — within the "
              "re-proposal window" for rid in actions.already_proposed]
    lines += [f"  stalled-within-budget: {rid} (not yet halted)"
              for rid in actions.stalled_within_budget]
    lines += [f"  skipped: {rid} ({actions.errors.get(rid, 'no run id on the lease')})"
              for rid in actions.skipped]
    lines += [f"  error: {rid}: {message}" for rid, message in actions.errors.items()
              if rid not in actions.skipped]
    return lines


def run(*, track: list[str], discover: bool, budget_ms: int | None, command: str,
        repropose_ms: int | None, watch: bool, max_ticks: int | None, interval: float,
        now_ms: int | None, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import supervision as api
    from dos.render import emit
    from dos.workspace import load_config

    tracked = [api.parse_track(spec, budget_ms=budget_ms, command=command) for spec in track]
    config = load_config(workspace, driver)

    def show(actions: WatchActions) -> None:
        emit(api.watch_json(actions), output=output,
             text=lambda _color: "\n".join(render_text(actions)))
        sys.stdout.flush()

    return api.watch(config, tracked=tracked, discover=discover, budget_ms=budget_ms,
                     command=command, repropose_ms=repropose_ms, interval=interval,
                     max_ticks=(None if watch else 1) if max_ticks is None else max_ticks,
                     now_ms=now_ms, emit=show)
