"""dos lint: find dead or contradictory lane and reason policy in dos.toml."""

from __future__ import annotations

import argparse

from dos.api import ops as api
from dos.render import emit
from dos.workspace import load_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 1) on warnings too, not only on errors")
    parser.epilog = ("exit 0 clean, 1 findings that fail (errors; with --strict also "
                     "warnings), 2 when dos.toml itself cannot be read")


def _text(report: api.LintReport) -> str:
    if not report.findings:
        return "config clean — no dead policy in the lane taxonomy or reason registry"
    return "\n".join(finding.render() for finding in report.findings)


def run(*, strict: bool, workspace: str | None, driver: str | None, output: str) -> int:
    config = load_config(workspace, driver)
    report = api.lint(config, strict=strict)
    emit(api.lint_json(report), output=output, text=lambda _color: _text(report))
    return report.verdict.exit_code
