"""dos rewind RUN_ID [--to SEQ]: cut a run back to a checkpoint the store sealed?"""

from __future__ import annotations

import argparse

from dos.commands._args import identifier
from dos.commands._run_arg import add_run_id, chosen_run_id
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos intent checkpoint RID-1M8HSC4V72JNYG0 --turn 12   seal where HEAD is now
  dos rewind RID-1M8HSC4V72JNYG0                        REWIND, NO_REWIND or UNANCHORED
  dos rewind RID-1M8HSC4V72JNYG0 --to 4 --json          against checkpoint seq 4

A checkpoint counts only when it is a CHECKPOINT record in the run's hash chain, which
holds from its INTENT on, at a commit in HEAD's history. The dead end is read from git
and the ledger (a step recorded done after the checkpoint whose commit git no longer
shows; two resumes at one step with nothing done between), never asserted by the
caller. Proposes only: the transcript and the tree are left as they are.
exit: 0 REWIND or NO_REWIND, 3 UNANCHORED, 2 usage, 74 store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    add_run_id(parser)
    parser.add_argument("--to", type=identifier(), default=None, metavar="SEQ",
                        help="rewind against this checkpoint (its seq in the run's ledger; "
                             "default: the latest)")


def run(*, run: str | None, run_id: str | None, to: int | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import recovery as api
    from dos.commands._temporal import emit_verdict

    config = load_config(workspace, driver)
    found = api.rewind(config, chosen_run_id(run, run_id), to_seq=to)
    lines = []
    point = found.checkpoint
    if found.token.value == "REWIND" and point is not None:
        turn = f", turn {point.turn}" if point.turn is not None else ""
        lines += [f"  rewind to    : checkpoint seq {point.seq} at {point.commit}{turn} "
                  f"(hash {point.hash[:12]})",
                  f"  drop steps   : {', '.join(found.dropped_steps) or '(none)'}",
                  f"  no-good note : {found.fire}"]
    emit_verdict(found.token.value, found.reason, api.rewind_json(found), output, lines)
    return found.token.exit_code
