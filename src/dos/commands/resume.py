"""dos resume RUN_ID: where does a successor re-enter a run that stopped?"""

from __future__ import annotations

import argparse

from dos.commands._run_arg import add_run_id, chosen_run_id
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos resume RID-1M8HSC4V72JNYG0          RESUMABLE at the first step git does not show
  dos resume RID-1M8HSC4V72JNYG0 --json --no-record

A step is done only when its STEP_DONE (`dos intent step RID S --done --commit SHA`)
cites the full SHA of a commit in HEAD's history. On RESUMABLE a RESUME_PROPOSED record
is appended to the run's ledger, once per re-entry point: asking again records nothing.
exit: 0 RESUMABLE or COMPLETE, 3 DIVERGED (a later step is done past the hole, or
--diverged), 4 UNRESUMABLE (no ledger, a broken chain, no INTENT), 2 usage, 74 store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    add_run_id(parser)
    parser.add_argument("--diverged", action="store_true",
                        help="the lane moved on past the run: answer DIVERGED, propose nothing")
    parser.add_argument("--no-record", action="store_true",
                        help="answer only; append no RESUME_PROPOSED")


def run(*, run: str | None, run_id: str | None, diverged: bool, no_record: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import recovery as api
    from dos.commands._temporal import emit_verdict

    config = load_config(workspace, driver)
    found = api.resume(config, chosen_run_id(run, run_id), record=not no_record,
                       diverged=diverged)
    plan = found.plan
    lines = []
    if plan.declared:
        lines += [f"  re-entry SHA : {plan.resume_sha or '(start)'}",
                  f"  resume step  : {plan.resume_step or '(none)'}",
                  f"  residual     : {', '.join(plan.residual) or '(none)'}"]
    if plan.token.value == "RESUMABLE":
        lines.append(f"  propose      : {api.proposed_command(plan)}  # re-enter at "
                     f"{plan.resume_sha[:12] or '(start)'}")
        lines.append(f"  (recorded RESUME_PROPOSED on run {plan.run_id}'s ledger — idempotent)"
                     if found.proposed_now else
                     f"  (a resume at {plan.resume_step} was already proposed for "
                     f"{plan.run_id} — not re-proposing)" if plan.already_proposed else
                     "  (--no-record: nothing recorded)")
    emit_verdict(plan.token.value, plan.reason, api.resume_json(found), output, lines)
    return plan.token.exit_code
