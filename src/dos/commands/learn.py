"""dos learn: where, across every registered project, the referee said no."""

from __future__ import annotations

import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.api.projects import Learned

_EPILOG = """\
examples:
  dos learn wedge-hotspots           which projects' pickers most often found no work
  dos learn lane-refusals            which lanes were refused most, across projects
  dos learn oracle-calibration --json  per refusal category: how often the operator
                                     upheld the referee (approve) or overruled it

Counted by the registry's database from the history `dos reindex` and every write verb
read from each project's store: no-pick answers (dos gate, dos next), refusals (lease-lane
acquire, arbitrate) and the operator's decisions (dos decisions resolve, arbitrate
--force, forced reaps). Categories come from each workspace's refusal vocabulary
([reasons] in dos.toml), else the kind of row decided. Reads only.

exit codes: 0 shown, 2 usage, 74 the registry cannot be read"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from dos.api.projects import AXES

    parser.epilog = _EPILOG
    parser.add_argument("axis", choices=AXES, help="what to group by")


def _text(learned: Learned) -> str:
    if not learned.groups:
        return (f"no history to aggregate for '{learned.axis}'  ·  write verbs and "
                f"`dos reindex` gather it\n  registry: {learned.registry}")
    lines = [f"  {learned.axis}"]
    for group in learned.groups:
        line = f"  {group.count:>5}  {group.group or '(none)'}"
        if learned.axis == "oracle-calibration":
            line += f"  (upheld {group.upheld}, overruled {group.overruled})"
        lines.append(line)
    return "\n".join(lines)


def run(*, axis: str, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import projects as api
    from dos.render import emit
    from dos.workspace import load_config

    learned = api.learn(load_config(workspace, driver), axis)
    emit(api.learn_json(learned), output=output, text=lambda _color: _text(learned))
    return 0
