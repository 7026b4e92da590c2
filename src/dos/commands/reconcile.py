"""dos reconcile UNIT: does the agent's "done" hold up against git?"""

from __future__ import annotations

import argparse

from dos.truth.ship_verdict import GRADES

_EPILOG = """\
git decides (--plan, and --phase when it is not UNIT itself): VERIFIED needs a ship at
--min-grade or better. An empty commit naming the unit, a reverted one, or (with
--min-grade artifact) a subject alone is not VERIFIED. --oracle-shipped passes the
caller's own bit instead; the answer then says it came from the caller, not git.

examples:
  dos reconcile AUTH2 --claimed-done --plan AUTH
  dos reconcile AUTH2 --claimed-done --plan AUTH --min-grade artifact --json

exit codes: 0 VERIFIED (leaves the residual), 3 QUIET_INCOMPLETE (claimed, not shown),
4 HONEST_OPEN (not claimed, not shipped), 2 usage or git error"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("unit", metavar="UNIT", help="the unit the agent reported on")
    parser.add_argument("--claimed-done", action="store_true",
                        help="the agent says it finished the unit")
    bit = parser.add_mutually_exclusive_group()
    bit.add_argument("--oracle-shipped", dest="oracle_shipped", action="store_const",
                     const=True, default=None, help="the caller's own 'shipped' bit")
    bit.add_argument("--no-oracle-shipped", dest="oracle_shipped", action="store_const",
                     const=False, help="the caller's own 'not shipped' bit")
    parser.add_argument("--plan", default=None, help="ask git: the plan (series), e.g. AUTH")
    parser.add_argument("--phase", default=None,
                        help="the phase git is asked about (default: UNIT)")
    parser.add_argument("--ref", default="HEAD", help="judge the history of this ref")
    parser.add_argument("--min-grade", choices=GRADES, default=None, metavar="GRADE",
                        help="VERIFIED only at this evidence grade or better: "
                             + " < ".join(GRADES) + " (default none: any real ship)")


def run(*, unit: str, claimed_done: bool, oracle_shipped: bool | None, plan: str | None,
        phase: str | None, ref: str, min_grade: str | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import picker as api
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    result = api.reconcile(config, unit, claimed=claimed_done, oracle_shipped=oracle_shipped,
                           plan=plan, phase=phase, ref=ref, min_grade=min_grade)
    emit_verdict(result.state.value, result.reason, api.reconcile_json(result), output)
    return result.state.exit_code
