"""dos complete RUN_ID: is every step the run declared done, by git?"""

from __future__ import annotations

import argparse

from dos.commands._run_arg import add_run_id, chosen_run_id
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos complete RID-1M8HSC4V72JNYG0 && echo "every declared step landed"

Counts distinct declared steps; a step is done only when its STEP_DONE cites the full
SHA of a commit in HEAD's history. Reads only.
exit: 0 COMPLETE, 3 INCOMPLETE, 4 INDETERMINATE (no ledger, a broken chain, no INTENT),
5 UNDERDECLARED (the INTENT declares no steps), 2 usage, 74 store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    add_run_id(parser)


def run(*, run: str | None, run_id: str | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import recovery as api
    from dos.commands._temporal import emit_verdict

    config = load_config(workspace, driver)
    found = api.complete(config, chosen_run_id(run, run_id))
    lines = []
    if found.declared:
        share = len(found.verified) / len(found.declared)
        lines.append(f"  verified     : {len(found.verified)}/{len(found.declared)} "
                     f"({share:.0%})")
    if found.residual:
        lines.append(f"  residual     : {', '.join(found.residual)}")
    emit_verdict(found.token.value, found.reason, api.complete_json(found), output, lines)
    return found.token.exit_code
