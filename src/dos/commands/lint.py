"""dos lint: find dead or contradictory lane and reason policy in dos.toml."""

from __future__ import annotations

import argparse

from dos.render import emit_json
from dos.workspace import load_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 1) on warnings too, not only on errors")
    parser.epilog = ("exit 0 clean, 1 findings that fail (errors; with --strict also "
                     "warnings), 2 when dos.toml itself cannot be read")


def run(*, strict: bool, workspace: str | None, driver: str | None, output: str,
        **_: object) -> int:
    config = load_config(workspace, driver)
    from dos.lint import SEVERITIES, lint, verdict_of

    findings = lint(config)
    verdict = verdict_of(findings, strict=strict)
    if output == "json":
        counts = {severity: sum(f.severity == severity for f in findings)
                  for severity in SEVERITIES}
        emit_json({"counts": counts, "verdict": verdict.value,
                   "findings": [vars(finding) for finding in findings]})
    elif not findings:
        print("config clean — no dead policy in the lane taxonomy or reason registry")
    else:
        for finding in findings:
            print(finding.render())
    return verdict.exit_code
