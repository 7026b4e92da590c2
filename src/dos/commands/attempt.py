"""dos attempt {record UNIT --outcome O, list [UNIT]}: attempts at units of work."""

from __future__ import annotations

import argparse

from dos.api.attempts import OUTCOMES
from dos.commands._args import count
from dos.render import emit
from dos.store.attempts import AttemptRecord
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos attempt record AUTH2 --outcome blocked --lane src --run-id "$RID"
  dos attempt list AUTH2                   its attempts, newest first
  dos attempt list --json                  every unit's newest attempts

An attempt is stamped by the store's clock and kept when the journal is compacted;
`dos cooldown UNIT` and a picker's freshness order read them. A worker that releases its
lease can record one at once: `dos lease-lane release --outcome O --unit U`.
exit: 0 recorded / shown, 2 usage (an unknown outcome, an undeclared lane), 74 the store
cannot be read or written."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True, metavar="{record,list}")
    put = actions.add_parser("record", help="record one attempt at a unit")
    put.add_argument("unit", metavar="UNIT", help="the unit of work, e.g. a plan phase")
    put.add_argument("--outcome", required=True, choices=OUTCOMES, help="how it ended")
    put.add_argument("--lane", default="", help="the lane it was attempted in")
    put.add_argument("--run-id", default=None, help="the run that attempted it")
    put.add_argument("--owner", default="", help="who attempted it (default: $DOS_OWNER, "
                     "then host:pid)")
    show = actions.add_parser("list", help="the newest attempts, of one unit or all")
    show.add_argument("unit", metavar="UNIT", nargs="?", default=None,
                      help="only this unit's attempts")
    show.add_argument("--limit", type=count(1, 10_000), default=50, metavar="N",
                      help="how many, newest first (default 50)")


def _line(found: AttemptRecord) -> str:
    from dos.admission.holder import iso_utc

    extra = "".join(f"  {name} {value}" for name, value in (
        ("lane", found.lane), ("run", found.run_id), ("by", found.holder)) if value)
    return f"{iso_utc(found.attempted_at_ms)}  {found.unit_id}  {found.outcome}{extra}"


def run(*, action: str, workspace: str | None, driver: str | None, output: str,
        unit: str | None = None, outcome: str = "", lane: str = "", run_id: str | None = None,
        owner: str = "", limit: int = 50) -> int:
    from dos.api import attempts as api

    config = load_config(workspace, driver)
    if action == "record":
        found = api.record(config, unit=unit or "", outcome=outcome, lane=lane,
                           run_id=run_id, owner=owner)
        emit(api.record_json(found), output=output,
             text=lambda _color: f"RECORDED  attempt #{found.seq}: {_line(found)}")
        return 0
    rows = api.listing(config, unit=unit, limit=limit)
    emit(api.attempts_json(rows), output=output, text=lambda _color: "\n".join(
        _line(row) for row in rows) or "(no attempts recorded)")
    return 0
