"""dos scout --state-json JSON: before leasing a lane, which activity do the signals call for?"""

from __future__ import annotations

import argparse

_EPILOG = """\
--state-json keys (all optional; an unknown key is an error, booleans are JSON booleans):
  health {action: proceed|route_unstick|route_replan|overlap_block, cause_key, evidence}
    (the `dos health --json` answer fits as it is), resource_blocked,
  resource_block_reason, stop_policy {name, stop, reason}, gate hard|soft|drive, scope,
  focus, open_escalated_decisions [], operator_owned_cause, same_day_unstick_count,
  latest_unstick_stamp, fixes_landing_since_unstick (default true), open_soaks [],
  replan_due, replan_desc, replan_in_flight, recent_replan_ran, recent_replan_desc,
  recent_replan_unproductive, scoreboard {runs_7d, zero_ship_7d, false_drain_runs,
  runs_shipped}, closed_loop {available, count, top_item}, lane_outcome {runs, shipped,
  drained}.

examples:
  dos scout --state-json "$(dos health --lane src --json)"   (as {"health": …})
  dos scout --state-json '{"resource_blocked": true, "resource_block_reason": "quota"}'

exit codes: 0 DISPATCH, 3 UNSTICK, 4 REPLAN, 5 WAIT, 6 STOP (and nothing else), 2 usage"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--state-json", default=None, metavar="JSON",
                        help="the host's signals as a JSON object")


def run(*, state_json: str | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import picker_signals as api
    from dos.commands._temporal import emit_verdict

    del workspace, driver  # a fold of the signals given, nothing else
    verdict = api.scout(api.scout_state(state_json))
    details = [f"  rule {verdict.rule_id} · evidence: {', '.join(verdict.evidence) or '-'}"]
    emit_verdict(verdict.token.value, verdict.reason, api.scout_json(verdict), output, details)
    return verdict.token.exit_code
