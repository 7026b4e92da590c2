"""dos commit-audit [REF] [--sweep [RANGE]]: does each subject claim what its diff shows?"""

from __future__ import annotations

import argparse
import sys

from dos.api import truth as api
from dos.render import emit, paint
from dos.truth.commit_audit import OK, UNWITNESSED, AuditVerdict, Sweep
from dos.workspace import load_config

_EPILOG = """\
A subject that claims a code change, tests or docs must be witnessed by the diff:
"fix: …" needs a source, configuration or data file outside the tests (a fix that
touches only tests is unwitnessed); "test: …" a test file that
does not net-delete lines; "docs: …" any file. Subjects that claim nothing abstain.

examples:
  dos commit-audit                    audit HEAD
  dos commit-audit main..HEAD         one line per commit of the range, newest first
  dos commit-audit --sweep main..HEAD the drift rate over the range (no cap)
  dos commit-audit --sweep            the drift rate over the whole history of HEAD

exit codes: 0 clean (or --warn-only), 1 a claim its diff does not witness,
2 a ref or range git cannot read
"""

_MARKS = {OK: "✓ witnessed  ", UNWITNESSED: "⚑ UNWITNESSED", "ABSTAIN": "· abstain    "}
_COLORS = {OK: ("green",), UNWITNESSED: ("red",), "ABSTAIN": ("dim",)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ref", nargs="?", default="HEAD",
                        help="a commit (default HEAD) or a range such as main..HEAD")
    parser.add_argument("--sweep", nargs="?", const=True, default=None, metavar="RANGE",
                        help="print the aggregate drift rate instead of one line per commit, "
                             "over RANGE (e.g. main..HEAD); a ref, or no RANGE at all, "
                             "sweeps the whole history of that ref (default REF, i.e. HEAD)")
    parser.add_argument("--warn-only", action="store_true",
                        help="always exit 0 and print no summary on stderr")
    parser.add_argument("--docs-ok", action="store_true",
                        help="accept any non-empty diff (but one of tests only) as witness of "
                             "a code-effect claim")
    parser.epilog = _EPILOG


def _line(verdict: AuditVerdict, color: bool) -> str:
    text = f"{_MARKS[verdict.verdict]} {verdict.sha}  [{verdict.witness}]  {verdict.reason}"
    return paint(text, *_COLORS[verdict.verdict], enabled=color)


def _sweep_text(summary: Sweep) -> str:
    lines = [f"commit-audit sweep over {summary.commits} commit(s):",
             f"  checkable (made a concrete claim) : {summary.checkable}",
             f"  witnessed by their diff           : {summary.witnessed}",
             f"  UNWITNESSED (claim vs diff)       : {summary.unwitnessed}",
             f"  no checkable claim (abstained)    : {summary.abstained}",
             f"  DRIFT RATE (unwitnessed/checkable): {summary.drift_rate * 100:.1f}%"]
    if summary.by_kind:
        lines.append("  by claim kind (unwitnessed/witnessed/abstain):")
        for kind, counts in sorted(summary.by_kind.items()):
            lines.append(f"    {kind:<12}{counts['unwitnessed']:>4} / {counts['witnessed']:>4}"
                         f" / {counts['abstain']:>4}")
    if summary.unwitnessed_shas:
        shown = ", ".join(summary.unwitnessed_shas[:12])
        lines.append(f"  unwitnessed: {shown}{' …' if len(summary.unwitnessed_shas) > 12 else ''}")
    return "\n".join(lines)


def run(*, ref: str, sweep: str | bool | None, warn_only: bool, docs_ok: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    config = load_config(workspace, driver)
    report = api.commit_audit(config, ref=ref, sweep=sweep, docs_ok=docs_ok)
    emit(api.commit_audit_json(report), output=output, text=lambda color: _text(report, color))
    if report.unwitnessed and not warn_only and output != "json":
        print(f"\ncommit-audit: {report.unwitnessed}/{len(report.verdicts)} commit(s) make a "
              "claim their diff does not witness.", file=sys.stderr)
    return 0 if warn_only else report.token.exit_code


def _text(report: api.AuditReport, color: bool) -> str:
    if report.sweep is not None:
        return _sweep_text(report.sweep)
    if not report.verdicts:
        return "commit-audit: no commits in range (nothing to check)"
    return "\n".join(_line(verdict, color) for verdict in report.verdicts)
