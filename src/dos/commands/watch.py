"""dos watch: run the watchdog — assess runs on a timer and record halt proposals."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from dos.errors import UsageError

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
per minute proposes once per episode. Exit 0 on every normal path."""

_ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)(?::(.*))?$")
_SPEC_KEYS = {"run_id", "start_sha", "lane", "loop_ts", "handle", "budget_ms", "command",
              "stop_command", "ref"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Assess tracked (and/or discovered) runs with the same liveness "
                          "verdict as `dos liveness`; record a HALT proposal for a "
                          "SPINNING run or one STALLED past its budget.")
    parser.epilog = _EPILOG
    parser.add_argument("--track", action="append", default=[], metavar="SPEC",
                        help="a run to watch (repeatable); see the spec grammar below")
    parser.add_argument("--discover", action="store_true",
                        help="also watch every run that holds a live lease")
    parser.add_argument("--budget-ms", type=int, default=None, metavar="MS",
                        help="how long a run may stay STALLED before a halt is proposed "
                        "(default: none — propose at once)")
    parser.add_argument("--command", default="", metavar="CMD",
                        help="the stop command each proposal carries (tracked and "
                        "discovered runs)")
    parser.add_argument("--repropose-ms", type=int, default=None, metavar="MS",
                        help="propose again for the same run after this long "
                        "(default 1800000)")
    parser.add_argument("--watch", action="store_true", help="tick until interrupted")
    parser.add_argument("--max-ticks", type=int, default=None, metavar="N",
                        help="tick N times, sleeping --interval between (default 1)")
    parser.add_argument("--interval", type=float, default=300.0, metavar="S",
                        help="seconds between ticks (default 300)")
    parser.add_argument("--now-ms", type=int, default=None, metavar="MS",
                        help="judge at this epoch-ms time, every tick (default: the "
                        "store's clock)")


def _from_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--track JSON spec is not valid JSON ({exc})",
                         hint='e.g. --track \'{"run_id": "RID-…", "lane": "main"}\'') from None
    if not isinstance(data, dict):
        raise UsageError("--track JSON spec must be an object", hint="wrap it in { }")
    unknown = sorted(set(data) - _SPEC_KEYS)
    if unknown:
        raise UsageError(f"--track JSON spec has unknown keys: {', '.join(unknown)}",
                         hint=f"known keys: {', '.join(sorted(_SPEC_KEYS))}")
    return data


def _from_colons(text: str) -> dict[str, Any]:
    run_id, _, rest = text.partition(":")
    start_sha, _, rest = rest.partition(":")
    lane, _, rest = rest.partition(":")
    iso = _ISO.match(rest.strip())
    if iso:
        loop_ts, handle = iso.group(1), iso.group(2) or ""
    else:
        loop_ts, _, handle = rest.partition(":")
    return {"run_id": run_id, "start_sha": start_sha, "lane": lane, "loop_ts": loop_ts,
            "handle": handle}


def parse_track(spec: str, *, budget_ms: int | None, command: str) -> Any:
    """One ``--track`` value as a TrackedRun; flags fill what the spec leaves out."""
    from dos.drivers.watchdog import TrackedRun

    text = spec.strip()
    data = _from_json(text) if text.startswith("{") else _from_colons(text)
    fields = {key: str(data.get(key) or "").strip()
              for key in ("run_id", "start_sha", "lane", "loop_ts", "handle", "ref")}
    if not fields["run_id"]:
        raise UsageError(f"--track spec {spec!r} has no run id (the first field)",
                         hint="start the spec with the run id, e.g. RID-…:<start_sha>")
    budget = data.get("budget_ms", budget_ms)
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int)
                               or budget < 0):
        raise UsageError(f"budget_ms in --track spec {spec!r} must be an integer >= 0")
    return TrackedRun(run_id=fields["run_id"], start_sha=fields["start_sha"],
                      lane=fields["lane"], loop_ts=fields["loop_ts"], handle=fields["handle"],
                      budget_ms=budget, ref=fields["ref"] or "HEAD",
                      stop_command=str(data.get("command") or data.get("stop_command")
                                       or command))


def render_text(actions: Any) -> list[str]:
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


def _check(budget_ms: int | None, repropose_ms: int | None, max_ticks: int | None,
           interval: float, now_ms: int | None) -> None:
    from dos.commands._temporal import non_negative

    non_negative("--now-ms", now_ms)
    non_negative("--budget-ms", budget_ms)
    non_negative("--repropose-ms", repropose_ms)
    if max_ticks is not None and max_ticks < 1:
        raise UsageError(f"--max-ticks must be 1 or more, got {max_ticks}",
                         hint="omit it for one tick, or use --watch to tick until stopped")
    if not interval >= 0:
        raise UsageError(f"--interval must be 0 or more seconds, got {interval}")


def run(*, track: list[str], discover: bool, budget_ms: int | None, command: str,
        repropose_ms: int | None, watch: bool, max_ticks: int | None, interval: float,
        now_ms: int | None, workspace: str | None, driver: str | None, output: str,
        **_: object) -> int:
    from dos.drivers import watchdog
    from dos.render import emit_json
    from dos.workspace import load_config

    _check(budget_ms, repropose_ms, max_ticks, interval, now_ms)
    tracked = [parse_track(spec, budget_ms=budget_ms, command=command) for spec in track]
    if not tracked and not discover:
        raise UsageError("no runs to watch",
                         hint="pass --track <run_id[:sha[:lane[:loop_ts[:handle]]]]> "
                              "(repeatable) and/or --discover")
    config = load_config(workspace, driver)

    def emit(actions: Any) -> None:
        if output == "json":
            emit_json(actions.to_dict())
        else:
            print("\n".join(render_text(actions)), flush=True)

    return watchdog.run(
        config, tracked_runs=tracked, discover=discover, budget_ms=budget_ms,
        stop_command=command, interval=interval,
        max_ticks=None if watch and max_ticks is None else (max_ticks or 1),
        repropose_ms=watchdog.DEFAULT_REPROPOSE_MS if repropose_ms is None else repropose_ms,
        now_ms=now_ms, emit=emit)
