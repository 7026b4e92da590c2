"""dos health --lane L: may a worker start on this lane, or does something route elsewhere?"""

from __future__ import annotations

import argparse

from dos.commands._args import count

_EPILOG = """\
Reads the workspace it is given (--workspace), never the current directory: live leases
through the arbiter (the lane's tree against theirs, with the [overlap] policy), the
lane's ATTEMPT and HALT records in the store, and archive commits under the layout's
run-record directories (the job driver's docs/_dispatch_loops, docs/_chained_runs,
docs/_fanout_runs). A lane is matched by its exact name, never a substring, and each run
counts once.

examples:
  dos health --lane src
  dos health --lane src --owner "$SESSION" --json     (your own lease never blocks you)

exit codes: 0 PROCEED, 3 ROUTE_UNSTICK, 4 ROUTE_REPLAN, 6 OVERLAP_BLOCK, 2 usage,
74 the store cannot be read"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--lane", required=True, help="the lane to judge (declared in dos.toml)")
    parser.add_argument("--owner", default="", metavar="ID",
                        help="your holder id: leases you hold do not block you")
    parser.add_argument("--window", type=count(1, 1000), default=12, metavar="N",
                        help="how many recent runs of the lane to weigh (default 12)")


def run(*, lane: str, owner: str, window: int, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import picker_health as api
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = api.health(config, lane=lane, owner=owner, window=window)
    details = [f"  {verdict.runs_considered} run(s) weighed, {verdict.blocker_runs} blocked"
               + (f"; evidence: {', '.join(verdict.evidence)}" if verdict.evidence else "")]
    emit_verdict(verdict.token.value, verdict.reason, api.health_json(verdict), output, details)
    return verdict.token.exit_code
