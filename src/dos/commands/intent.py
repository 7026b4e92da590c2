"""dos intent {start,step,checkpoint,show}: a run's intent ledger, in the store."""

from __future__ import annotations

import argparse

from dos.commands._args import count
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos intent start "$RID" --steps schema,api,tests --lane src --unit AUTH2
  dos intent step "$RID" schema --started
  dos intent step "$RID" schema --done --commit "$(git rev-parse HEAD)"
  dos intent checkpoint "$RID" --turn 12      seal the commit HEAD is at now
  dos intent show "$RID"                      every record, the chain checked

A run declares its steps once; each later record must name a declared step, and a done
step its commit's full SHA (HEAD, a branch or an abbreviation is refused). The store
seals each record into the run's own hash chain; `dos resume`, `dos complete` and
`dos rewind` read it.
exit: 0 recorded / shown, 1 not recorded (no INTENT for the run, an undeclared step, a
different declaration already made), 2 usage, 74 store."""


def _run_positional(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_id", metavar="RUN_ID", help="the run's id (RID-…)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True,
                                    metavar="{start,step,checkpoint,show}")
    start = actions.add_parser("start", help="declare the run's steps (INTENT)")
    _run_positional(start)
    start.add_argument("--steps", required=True, metavar="S1,S2,…",
                       help="the steps, in order, each once")
    start.add_argument("--lane", default="", help="the lane the run works in")
    start.add_argument("--unit", default="", help="the unit of work the run attempts")
    start.add_argument("--goal", default="", help="a line saying what the run is for")
    step = actions.add_parser("step", help="record a declared step started, or done")
    _run_positional(step)
    step.add_argument("step", metavar="STEP", help="a declared step")
    state = step.add_mutually_exclusive_group(required=True)
    state.add_argument("--started", action="store_true", help="the step began")
    state.add_argument("--done", action="store_true", help="the step landed (needs --commit)")
    step.add_argument("--commit", default="", metavar="SHA",
                      help="with --done: the full SHA of the step's commit")
    point = actions.add_parser("checkpoint", help="seal a checkpoint at HEAD's commit")
    _run_positional(point)
    point.add_argument("--turn", type=count(), default=None, metavar="N",
                       help="the host's transcript turn to rewind to")
    show = actions.add_parser("show", help="the run's ledger (reads only)")
    _run_positional(show)


def _show_text(payload: dict[str, object]) -> str:
    lines = [f"# intent ledger · {payload['run_id']}"]
    records = payload["records"]
    if not isinstance(records, list) or not records:
        return lines[0] + "\n  no intent ledger for this run"
    chain = "holds" if payload["chain_ok"] else f"BROKEN: {payload['chain_problem']}"
    lines.append(f"  {len(records)} record(s); hash chain {chain}")
    steps = payload["steps"]
    for item in steps if isinstance(steps, list) else []:
        commit = f"  {item['commit'][:12]}" if item["commit"] else ""
        lines.append(f"  {item['state']:<8} {item['step']}{commit}")
    for record in records:
        detail = " ".join(str(part) for part in (record["step"], record["commit"][:12]) if part)
        lines.append(f"    seq {record['seq']:<4} {record['kind']:<16} {detail}".rstrip())
    return "\n".join(lines)


def run(*, action: str, run_id: str, workspace: str | None, driver: str | None, output: str,
        steps: str = "", lane: str = "", unit: str = "", goal: str = "", step: str = "",
        started: bool = False, done: bool = False, commit: str = "",
        turn: int | None = None) -> int:
    from dos.api import intents as api

    config = load_config(workspace, driver)
    if action == "show":
        payload = api.show_json(api.show(config, run_id))
        emit(payload, output=output, text=lambda _color: _show_text(payload))
        return 0
    if action == "start":
        result = api.start(config, run_id, steps, lane=lane, unit=unit, goal=goal)
    elif action == "step":
        result = api.step(config, run_id, step, done=done and not started, commit=commit)
    else:
        result = api.checkpoint(config, run_id, turn=turn)
    record = result.record
    text = (f"RECORDED  {record.kind} seq {record.seq} on run {result.run_id}"
            + (f" ({record.step})" if record.step else "")
            if record is not None else f"NOT_RECORDED  {result.reason}")
    emit(api.recorded_json(result), output=output, text=lambda _color: text)
    return 0 if result.ok else 1
