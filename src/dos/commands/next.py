"""dos next --owner ID: the next unit for this worker, leased in one store transaction."""

from __future__ import annotations

import argparse

from dos.commands._args import seconds
from dos.truth.ship_verdict import GRADES

_EPILOG = """\
Enumerates the plans (--plan, repeatable; default every [paths] plans_glob document),
keeps the remaining units git has not seen ship (a parent is done through its children),
then in one store transaction drops the units leased to other workers and those cooling
down after a recent attempt, ranks the rest never-attempted first, then least recently
attempted, and takes a shared lease on the lane (--lane, else an auto-pick lane) for the
first. Workers asking at once each get a different unit. A worker holds one unit: asking
again renews it. The lease's loop_ts is `unit:<PLAN>/<UNIT>`; release it with
`dos lease-lane release --lane L --owner ID`.

examples:
  dos next --owner "$SESSION" --plan docs/auth-plan.md --lane src
  dos next --owner "$SESSION" --dry-run          the ranking, nothing taken
  dos next --owner w3 --json | jq -r .unit

exit codes: 0 PICKED, 3 DRAINED (every unit shipped: stop), 4 HELD (work remains but
is leased, cooling down or the lane is busy: ask later), 2 usage, 74 store unreadable,
75 store busy"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--owner", default="", metavar="ID",
                        help="the worker's holder id (default $DOS_OWNER)")
    parser.add_argument("--lane", default="", help="lease this lane (default: auto-pick)")
    parser.add_argument("--plan", action="append", default=[], metavar="DOC",
                        help="a plan document (repeatable; default: every plans_glob match)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show the ranking and what would be picked; take nothing")
    parser.add_argument("--ttl-seconds", type=seconds(low_open=True), default=300.0,
                        metavar="S", help="the lease's time to live (default 300)")
    parser.add_argument("--run-id", default="", metavar="RID",
                        help="the run the lease is for (default $CID_RUN_ID / "
                             "$DISPATCH_RUN_ID)")
    parser.add_argument("--ref", default="HEAD", help="judge shipped units at this ref")
    parser.add_argument("--min-grade", choices=GRADES, default="none", metavar="GRADE",
                        help="count a unit shipped only at this evidence grade or better")


def _text(result: object) -> str:
    from dos.api.next_pick import NextResult

    assert isinstance(result, NextResult)  # noqa: S101 - narrowing for the type checker
    lines = [f"{result.token.value}  {result.reason}"]
    counts = result.counts
    if counts:
        lines.append(f"  units={counts.get('units', 0)}  shipped={counts.get('shipped', 0)}  "
                     f"remaining={counts.get('remaining', 0)}")
    if result.dry_run or result.token.value != "PICKED":
        lines += [f"  {'·' if r.held else '→'} {r.candidate.unit:<16} "
                  f"{r.held or 'free':<9} {r.detail}" for r in result.ranking[:20]]
    return "\n".join(lines)


def run(*, owner: str, lane: str, plan: list[str], dry_run: bool, ttl_seconds: float,
        run_id: str, ref: str, min_grade: str, workspace: str | None, driver: str | None,
        output: str) -> int:
    import os

    from dos.api import next_pick as api
    from dos.config import user_path
    from dos.render import emit
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    docs = []
    for item in plan:
        path = user_path(item)
        docs.append(path if path.is_absolute() or not workspace else config.root / path)
    run_id = run_id or os.environ.get("CID_RUN_ID", "") or os.environ.get("DISPATCH_RUN_ID", "")
    result = api.next_unit(config, owner=owner, lane=lane, plans=docs, dry_run=dry_run,
                           ttl_s=ttl_seconds, run_id=run_id, ref=ref, min_grade=min_grade)
    emit(api.next_json(result), output=output, text=lambda _color: _text(result))
    return result.token.exit_code
