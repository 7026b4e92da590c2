"""dos test-witness: does a new test witness the change? (red before, green after)"""

from __future__ import annotations

import argparse

from dos.commands._args import count, seconds

_EPILOG = """\
examples:
  dos test-witness --run "python -m pytest -q tests/test_login.py" \\
      --baseline main --candidate HEAD                  # dos runs it at each commit
  dos test-witness --run "python -m pytest -q tests/test_login.py" \\
      --new-test tests/test_login.py --baseline HEAD~1 --candidate HEAD
                                      # a test the change adds, run against the old code
  dos test-witness --baseline fail --candidate pass     # DISCRIMINATES, caller-claimed

With --run, --baseline and --candidate are git refs: each is checked out into a
temporary repository of its own and the command runs there (an argument list, no
shell, killed at --timeout); exit 0 is passed, 1 failed, anything else errored; your
checkout, refs and config are never touched. --new-test PATH copies a test the change
adds from the candidate into the baseline's checkout, so it runs against the code
before the change. Without --run they are the outcomes you claim (pass, fail, error,
not-run) and the verdict says CALLER_CLAIMED. A baseline that errored (no assertion
ran) is not a witness unless --allow-structural.
Exit: 0 DISCRIMINATES, 3 VACUOUS, 4 UNSATISFIED, 5 REGRESSIVE, 6 ABSTAIN, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge whether a test is red on the baseline and green after."
    parser.epilog = _EPILOG
    parser.add_argument("--baseline", default=None, metavar="OUTCOME|REF",
                        help="with --run a git ref, else pass|fail|error|not-run")
    parser.add_argument("--candidate", default=None, metavar="OUTCOME|REF",
                        help="with --run a git ref, else pass|fail|error|not-run")
    parser.add_argument("--run", default=None, metavar="CMD",
                        help="the test command dos runs at each ref (split into words)")
    parser.add_argument("--repeat", type=count(1, 10), default=1, metavar="N",
                        help="runs per side; outcomes that disagree are flaky (default 1)")
    parser.add_argument("--timeout", type=seconds(0, 86_400, low_open=True), default=300.0,
                        metavar="SECONDS", help="time limit per run (default 300)")
    parser.add_argument("--forgeable", action="store_true",
                        help="the claimed outcomes are agent-authored (abstain)")
    parser.add_argument("--allow-structural", action="store_true",
                        help="an errored baseline that passes after still witnesses")
    parser.add_argument("--require-witnessed", action="store_true",
                        help="caller-claimed outcomes abstain")
    parser.add_argument("--new-test", dest="new_tests", action="append", default=[],
                        metavar="PATH", help="a test file or directory the change adds: at "
                        "the baseline it is taken from the candidate (repeatable)")


def run(*, baseline: str | None, candidate: str | None, run: str | None, repeat: int,
        timeout: float, forgeable: bool, allow_structural: bool, require_witnessed: bool,
        new_tests: list[str], workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import gates
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    answer = gates.witness(config, baseline=baseline, candidate=candidate, run=run,
                                forgeable=forgeable, repeat=repeat, timeout_s=timeout,
                                allow_structural=allow_structural,
                                require_witnessed=require_witnessed, new_tests=new_tests)
    details = [f"  {r['side']:<9} {str(r['sha'])[:12]}  {r['outcome']:<7} {r['detail']}  "
               f"({r['duration_ms']} ms)" for r in answer.runs]
    verdict = answer.verdict
    emit_verdict(verdict.verdict.value, verdict.reason, gates.witness_json(answer),
                 output, details)
    return verdict.verdict.exit_code
