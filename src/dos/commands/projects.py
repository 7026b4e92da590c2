"""dos projects: every workspace this user's write verbs touched, by its stable id."""

from __future__ import annotations

import argparse

from dos.commands._args import count

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.api.projects import Listing

_EPILOG = """\
examples:
  dos projects                       every registered project, its status and history
  dos projects --stale               only those whose directory is gone or long unused
  dos projects --stale --idle-days 30 --json

A write verb (lease-lane acquire, decisions resolve, halt, …) registers its workspace
by the id in .dos/project.json, not by its path: a moved repository keeps its id and its
history (its moves are listed); a copied one gets an id of its own. The registry lives in
DOS_HOME (default: the platform's data directory for dos), or in the shared PostgreSQL
store when the workspace uses one. Status: active, idle (not used for --idle-days),
stale (its directory no longer holds it; `dos reindex --prune` drops it). Reads only.

exit codes: 0 shown, 2 usage, 74 the registry cannot be read"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--stale", action="store_true",
                        help="only projects whose directory is gone or that were not used "
                             "for --idle-days")
    parser.add_argument("--idle-days", type=count(1, 36_500), default=90, metavar="N",
                        help="a project not used for N days is idle (default 90)")


def _text(listing: Listing, *, stale: bool) -> str:
    if not listing.rows and stale:
        return (f"no stale projects  ·  none is gone or idle for {listing.idle_days} days"
                f"\n  registry: {listing.registry}")
    if not listing.rows:
        return ("no projects registered yet  ·  a write verb (e.g. `dos lease-lane acquire`) "
                f"registers its workspace\n  registry: {listing.registry}")
    lines = [f"  {'label':<20}  {'status':<6}  {'refused':>7}  {'wedged':>6}  "
             f"{'decided':>7}  root", "  " + "-" * 78]
    for row in listing.rows:
        history = row.history
        lines.append(f"  {row.label[:20]:<20}  {row.status:<6}  {history.get('refusal', 0):>7}  "
                     f"{history.get('wedge', 0):>6}  {history.get('decision', 0):>7}  {row.root}")
        lines += [f"  {'':<20}  moved from {move.from_root}" for move in row.moves]
        if row.copied_from:
            lines.append(f"  {'':<20}  a copy of project {row.copied_from}")
    return "\n".join([*lines, f"  registry: {listing.registry}"])


def run(*, stale: bool, idle_days: int, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import projects as api
    from dos.render import emit
    from dos.workspace import load_config

    listing = api.projects(load_config(workspace, driver), stale_only=stale,
                           idle_days=idle_days)
    emit(api.projects_json(listing), output=output,
         text=lambda _color: _text(listing, stale=stale))
    return 0
