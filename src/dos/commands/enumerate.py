"""dos enumerate PLAN_DOC: a plan's units in document order, shipped or remaining by git."""

from __future__ import annotations

import argparse

from dos.truth.enumeration import Enumeration
from dos.truth.ship_verdict import GRADES

_EPILOG = """\
Units come from the document (headings, bullets under a unit heading, table rows; see
README "Plan documents"); whether each shipped comes from git alone, exactly as
`dos verify SERIES UNIT` answers. Prose ("SHIPPED", "will be shipped", [x]) decides
nothing. A unit with children (AUTH1.1 under AUTH1) ships only when they all have.

examples:
  dos enumerate docs/auth-plan.md                 series from the document's `id:` line
  dos enumerate plan.md --series AUTH --json
  dos enumerate plan.md --shipped '["AUTH1"]'     compare a cached list with git

exit codes: 0 CLEAN, 3 DRIFT (duplicates, ranges, --shipped disagreeing with git…),
4 EMPTY (no unit declared; wins over DRIFT), 2 usage or git error"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("plan_doc", metavar="PLAN_DOC",
                        help="the plan document (markdown); a relative path resolves against "
                             "--workspace when given, else the current directory")
    parser.add_argument("--series", default=None, metavar="ID",
                        help="the plan id git is asked about (default: the `id:` line)")
    parser.add_argument("--shipped", default=None, metavar="JSON",
                        help="a JSON array of ids a cache says shipped: compared with git, "
                             "never believed")
    parser.add_argument("--ref", default="HEAD", help="judge the history of this ref")
    parser.add_argument("--min-grade", choices=GRADES, default="none", metavar="GRADE",
                        help="count a ship only at this evidence grade or better: "
                             + " < ".join(GRADES))


def _text(result: Enumeration) -> str:
    lines = []
    if result.statuses:
        lines.append(f"series={result.series or '(generic)'}  units={len(result.statuses)}  "
                     f"shipped={len(result.shipped)}  remaining={len(result.remaining)}")
    else:
        lines.append("(empty) — no unit ids declared")
    for status in result.statuses:
        indent = "    " if status.unit.parent else "  "
        if status.shipped:
            verdict = status.verdict
            how = status.shipped_by
            if status.shipped_by == "oracle" and verdict is not None:
                how += f" ({verdict.grade}{' ' + verdict.sha[:12] if verdict.sha else ''})"
            lines.append(f"{indent}· {status.unit.unit} via {how}")
        else:
            lines.append(f"{indent}→ {status.unit.unit:<28} (remaining)")
    lines += [f"  ⚠ drift[{d.kind}]: {d.detail}" for d in result.drift if d.kind != "empty"
              or result.statuses]
    return "\n".join(lines)


def run(*, plan_doc: str, series: str | None, shipped: str | None, ref: str, min_grade: str,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import picker as api
    from dos.config import user_path
    from dos.render import emit
    from dos.workspace import load_config

    claimed = api.shipped_list(shipped) or ()
    config = load_config(workspace, driver)
    path = user_path(plan_doc)
    if not path.is_absolute() and workspace:
        path = config.root / path
    result = api.enumerate_plan(config, path, series=series, shipped=claimed, ref=ref,
                                min_grade=min_grade)
    emit(api.enumerate_json(result), output=output, text=lambda _color: _text(result))
    return result.token.exit_code
