"""dos halt: record a decision to stop a run and the command proposed for it (never signals)."""

from __future__ import annotations

import argparse

from dos.admission.lane_lease import HaltResult
from dos.commands._output import PRETTY_HELP, answer
from dos.render import paint
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos halt --handle 28431 --lane src --command "kill -TERM 28431" --reason "spinning"
  dos halt --handle w3 --run-id RID-1M8HSC4V72JNYG0 --resumable

dos records the halt in the journal and prints it (--json: one JSON line); the host
runs the command, dos never does.
exit: 0 recorded, 2 usage (a --lane dos.toml does not declare), 74 store unreadable,
75 store busy."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--handle", required=True,
                        help="what identifies the run to the host (a pid, a job id; opaque)")
    parser.add_argument("--lane", default="", help="the lane of the run's lease")
    parser.add_argument("--loop-ts", default="", help="the loop stamp of the run's lease")
    parser.add_argument("--owner", default="",
                        help="who decided (default: $DOS_OWNER, then host:pid)")
    parser.add_argument("--reason", default="", help="why (default: halt:<owner>)")
    parser.add_argument("--run-id", default="", help="the run's id (validated)")
    parser.add_argument("--command", default=None,
                        help="the stop command to propose (recorded, never executed)")
    parser.add_argument("--resumable", action="store_true",
                        help="with --run-id: also record the run as suspended, to resume")
    parser.add_argument("--resume-sha", default="", help="the commit a resumed run starts at")
    parser.add_argument("--pretty", action="store_true", help=PRETTY_HELP)


def _text(result: HaltResult, color: bool) -> str:
    word = "HALT" if result.recorded else "NOT_RECORDED"
    where = ", ".join(part for part in (
        f"lane {result.lane}" if result.lane else "", f"loop_ts {result.loop_ts}"
        if result.loop_ts else "", f"lease #{result.lease_id}" if result.lease_id else "",
        f"run {result.run_id}" if result.run_id else "") if part)
    lines = [f"{paint(word, 'bold', 'yellow', enabled=color)}  handle {result.handle}"
             + (f" ({where})" if where else "") + f" recorded as journal seq {result.seq}",
             f"  stop it with: {result.command}" if result.command
             else "  no --command was given: stop it by hand"]
    if result.suspended is not None:
        lines.append(f"  {'suspended' if result.suspended else 'not suspended'}: "
                     f"{result.suspend_note}")
    return "\n".join(lines)


def run(*, handle: str, lane: str, loop_ts: str, owner: str, reason: str, run_id: str,
        command: str | None, resumable: bool, resume_sha: str, pretty: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import admission as api

    config = load_config(workspace, driver)
    result = api.halt(config, handle=handle, lane=lane, loop_ts=loop_ts, owner=owner,
                      reason=reason, run_id=run_id, command=command, resumable=resumable,
                      resume_sha=resume_sha)
    answer(api.halt_json(result), output=output, pretty=pretty,
           text=lambda color: _text(result, color))
    return 0 if result.recorded else 1
