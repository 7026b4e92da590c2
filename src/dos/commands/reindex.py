"""dos reindex: re-check every registered project and read its new history."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.record.projects.upkeep import Reindexed

_EPILOG = """\
examples:
  dos reindex                        re-check every project, read what its store gained
  dos reindex --prune --json         … and drop those whose directory no longer holds them

Each project this user registered is checked at its root: active (its .dos/project.json
still names it), stale (gone, or another project is there now), unreadable (its store or
dos.toml cannot be read; named, and the exit is 1). History (refusals, no-pick runs,
operator decisions) is read from each active project's own store after the cursor kept
for it, so nothing is read twice and nothing is lost: reindex never deletes history
except with --prune, and then only of this user's projects whose directory is gone.

exit codes: 0 reindexed, 1 incomplete (a project could not be read), 2 usage,
74 the registry cannot be read or written"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--prune", action="store_true",
                        help="drop this user's projects whose directory no longer holds them")


def _text(result: Reindexed) -> str:
    events = sum(check.events for check in result.checked)
    lines = [f"reindexed {len(result.checked)} project(s): {result.count('active')} active, "
             f"{result.count('stale')} stale, {result.count('pruned')} pruned, "
             f"{result.count('unreadable')} unreadable  ·  {events} new event(s)"]
    lines += [f"  {check.status:<10}  {check.label}  {check.root}"
              + (f": {check.problem}" if check.problem else "")
              for check in result.checked if check.status != "active"]
    return "\n".join([*lines, f"  registry: {result.registry}"])


def run(*, prune: bool, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import projects as api
    from dos.render import emit
    from dos.workspace import load_config

    result = api.reindex(load_config(workspace, driver), prune=prune)
    emit(api.reindex_json(result), output=output, text=lambda _color: _text(result))
    return 1 if result.count("unreadable") else 0
