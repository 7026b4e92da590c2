"""dos plan [--once] [--json] [PLAN PHASE …]: each phase's claim beside git's verdict."""

from __future__ import annotations

import argparse
import datetime

from dos.errors import UsageError
from dos.render import dumps
from dos.workspace import load_config

_EPILOG = """\
Phases come from the plan documents ([paths] plans_glob, default docs/**/*-plan.md):
a heading "## 3. AUTH AUTH3 — title" or a bullet "- **AUTH3.1 — …" under it. The
claim is SHIPPED / ✅ / "status: done" (shipped), soak / blocked / gated / deferred
(blocked), else open. The oracle column is `dos verify` for that phase; history is
read once for the whole board. Nothing is written.

examples:
  dos plan --once                 one text frame
  dos plan --json                 one JSON line
  dos plan AUTH AUTH1 AUTH AUTH2  just these phases
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pairs", nargs="*", metavar="PLAN PHASE",
                        help="explicit (plan, phase) pairs instead of the plan documents")
    parser.add_argument("--once", action="store_true",
                        help="print one frame and exit (the only mode for now)")
    parser.add_argument("--source", default="markdown",
                        help="where phases come from: markdown (the plan documents)")
    parser.add_argument("--ref", default="HEAD", help="judge against this ref (default HEAD)")
    parser.epilog = _EPILOG


def run(*, pairs: list[str], source: str, ref: str, workspace: str | None,
        driver: str | None, output: str, **_: object) -> int:
    if len(pairs) % 2:
        raise UsageError(f"'{pairs[-1]}' has no PHASE", hint="pass PLAN PHASE pairs, e.g. "
                                                              "`dos plan AUTH AUTH1 AUTH AUTH2`")
    if source != "markdown":
        raise UsageError(f"unknown plan source '{source}'", hint="the built-in source is "
                                                                 "markdown")
    config = load_config(workspace, driver)
    from dos.git.history import recent
    from dos.truth.oracle import PhaseQuery, verify_many
    from dos.truth.plan_board import build, render_text, to_json
    from dos.truth.ship_evidence import GitShipEvidence

    evidence = GitShipEvidence(config, ref)
    if pairs:
        queries = [PhaseQuery(p, q) for p, q in zip(pairs[::2], pairs[1::2], strict=True)]
        rows, label = [("", "")] * len(queries), "explicit"
    else:
        phases = evidence.plan_phases()
        queries = [PhaseQuery(p.plan, p.phase) for p in phases]
        rows, label = [(p.doc_path, p.claimed) for p in phases], "markdown"
    verdicts = verify_many(queries, config, ref=ref, evidence=evidence)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    board = build(str(config.root), now, plan_source=label,
                  initialized=config.source is not None, rows=rows, verdicts=verdicts,
                  activity=recent(config.root, evidence.head, 10))
    print(dumps(to_json(board)) if output == "json" else render_text(board))
    return 0
