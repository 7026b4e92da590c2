"""dos reward: label one trajectory for a training set from a claim and a witness."""

from __future__ import annotations

import argparse

from dos.commands._args import seconds

_EPILOG = """\
examples:
  dos reward --witness-run "python -m pytest -q tests/test_fix.py"   # dos runs the witness
  dos reward --witness confirm                   # ACCEPT, caller-claimed
  dos reward --witness confirm --require-witnessed                   # ABSTAIN
  dos reward --no-claim                          # NO_CLAIM

--witness-run runs a command (no shell): exit 0 confirms, 1 refutes, anything else is
no witness. --witness is what you say the witness saw; the verdict names the rung.
Exit: 0 ACCEPT, 3 REJECT_POISON, 4 ABSTAIN, 5 NO_CLAIM, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Label a trajectory: accept, poison, abstain or no claim."
    parser.epilog = _EPILOG
    claim = parser.add_mutually_exclusive_group()
    claim.add_argument("--claim", dest="claim", action="store_true", default=True,
                       help="the trajectory claims a checkable effect (the default)")
    claim.add_argument("--no-claim", dest="claim", action="store_false",
                       help="it claims nothing checkable")
    parser.add_argument("--witness", choices=("confirm", "refute", "none"), default=None,
                        type=str.lower, help="what the witness saw (caller-claimed)")
    parser.add_argument("--witness-run", default=None, metavar="CMD",
                        help="run the witness: exit 0 confirms, 1 refutes")
    parser.add_argument("--forgeable", action="store_true",
                        help="the witness is agent-authored (abstain)")
    parser.add_argument("--require-witnessed", action="store_true",
                        help="a caller-claimed witness abstains")
    parser.add_argument("--timeout", type=seconds(0, 86_400, low_open=True), default=600.0,
                        metavar="SECONDS", help="time limit of --witness-run (default 600)")
    parser.add_argument("--narrated", default="", metavar="TEXT",
                        help="the agent's story (echoed, never read)")


def run(*, claim: bool, witness: str | None, witness_run: str | None, forgeable: bool,
        require_witnessed: bool, timeout: float, narrated: str, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import gates
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = gates.reward(config, claim=claim, witness=witness, forgeable=forgeable,
                           witness_run=witness_run, require_witnessed=require_witnessed,
                           narrated=narrated, timeout_s=timeout)
    emit_verdict(verdict.verdict.value, verdict.reason, gates.reward_json(verdict), output)
    return verdict.verdict.exit_code
