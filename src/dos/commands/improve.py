"""dos improve: keep, revert or escalate one candidate of a self-improving loop."""

from __future__ import annotations

import argparse

from dos.commands._args import count, number, seconds

_EPILOG = """\
examples:
  dos improve --suite-run "python -m pytest -q" --truth-clean --work 7 --baseline-work 5
  dos improve --suite-passed --truth-clean --work 1 --baseline-work 3   # REVERT: regressed
  dos improve --suite-passed --truth-clean --work 6 --baseline-work 5 \\
      --tokens 0 --efficiency-floor 0.001                               # spend judged as 1000

--suite-run / --truth-run / --work-run make dos measure the fact itself (exit 0 = green
or clean; --work-run prints the metric on its last line); the flags are caller-claimed,
and every verdict names the rung. A metric that fell is a regression. With an armed
--efficiency-floor a spend reported under --min-tokens is judged as --min-tokens.
Defaults come from dos.toml [improve] (max_reverts, efficiency_floor, min_tokens,
require_witnessed).
Exit: 0 KEEP, 3 REVERT, 4 ESCALATE, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Keep-gate for one candidate change of a self-improving loop."
    parser.epilog = _EPILOG
    flag = parser.add_argument
    flag("--suite-passed", action="store_true", help="the test suite is green (claimed)")
    flag("--truth-clean", action="store_true", help="verify/commit-audit passed (claimed)")
    flag("--suite-run", default=None, metavar="CMD", help="run the suite; exit 0 = green")
    flag("--truth-run", default=None, metavar="CMD", help="run the truth check; exit 0 = clean")
    flag("--work", type=count(), default=0, metavar="UNITS", help="the candidate's metric")
    flag("--work-run", default=None, metavar="CMD", help="print the metric (last line)")
    flag("--baseline-work", type=count(), default=0, metavar="UNITS",
         help="the metric before the change")
    flag("--tokens", type=count(), default=0, metavar="N", help="tokens the candidate cost")
    flag("--consecutive-reverts", type=count(), default=0, metavar="N",
         help="reverts in a row so far")
    flag("--max-reverts", type=count(1, 1000), default=None, metavar="N",
         help="reverts in a row that escalate (default [improve] max_reverts, else 3)")
    flag("--efficiency-floor", type=number(0, 1e9), default=None, metavar="RATIO",
         help="least metric gain per token; 0 = off (default [improve], else 0)")
    flag("--min-tokens", type=count(), default=None, metavar="N",
         help="least spend assumed when the floor is armed (default [improve], else 1000)")
    flag("--require-witnessed", action="store_true",
         help="a KEEP on caller-claimed facts escalates to a human")
    flag("--timeout", type=seconds(0, 86_400, low_open=True), default=600.0,
         metavar="SECONDS", help="time limit of each *-run command (default 600)")
    flag("--narrated", default="", metavar="TEXT", help="the agent's story (echoed, never read)")


def run(*, suite_passed: bool, truth_clean: bool, suite_run: str | None,
        truth_run: str | None, work: int, work_run: str | None, baseline_work: int,
        tokens: int, consecutive_reverts: int, max_reverts: int | None,
        efficiency_floor: float | None, min_tokens: int | None, require_witnessed: bool,
        timeout: float, narrated: str, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import gates
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = gates.improve(
        config, suite_passed=suite_passed, truth_clean=truth_clean, work=work,
        baseline_work=baseline_work, tokens=tokens, consecutive_reverts=consecutive_reverts,
        max_reverts=max_reverts, efficiency_floor=efficiency_floor, min_tokens=min_tokens,
        require_witnessed=require_witnessed, narrated=narrated, suite_run=suite_run,
        truth_run=truth_run, work_run=work_run, timeout_s=timeout)
    emit_verdict(verdict.verdict.value, f"{verdict.reason} [{verdict.rung.value}]",
                 gates.improve_json(verdict), output)
    return verdict.verdict.exit_code
