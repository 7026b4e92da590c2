"""dos halt: record a decision to stop a run and the command proposed for it (never signals)."""

from __future__ import annotations

import argparse
import json

from dos.render import dumps
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos halt --handle 28431 --lane src --command "kill -TERM 28431" --reason "spinning"
  dos halt --handle w3 --run-id RID-1M8HSC4V72JNYG0 --resumable

dos records the halt in the journal and prints it; the host runs the command, dos
never does. exit: 0 recorded, 2 usage, 74 store unreadable, 75 store busy."""


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
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")


def run(*, handle: str, lane: str, loop_ts: str, owner: str, reason: str, run_id: str,
        command: str | None, resumable: bool, resume_sha: str, pretty: bool,
        workspace: str | None, driver: str | None, **_: object) -> int:
    from dos.admission.lane_lease import halt

    config = load_config(workspace, driver)
    result = halt(config, handle=handle, lane=lane, loop_ts=loop_ts, owner=owner,
                  reason=reason, run_id=run_id, command=command, resumable=resumable,
                  resume_sha=resume_sha)
    payload = result.to_dict()
    print(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=True) if pretty
          else dumps(payload))
    return 0 if result.recorded else 1
