"""dos pick-priority UNIT…: the order to try units in, freshest first."""

from __future__ import annotations

import argparse

_EPILOG = """\
Never-attempted units first, then the least recently attempted (a shipped attempt is
still an attempt); ties keep the order given. One read of the store for all units.
An ordering, not a gate: exit 0 whatever the history (use `dos pickable` or `dos next`
to decide whether a unit may be taken).

examples:
  dos pick-priority AUTH1 AUTH2 AUTH3
  dos pick-priority AUTH1 AUTH2 --json | jq -r '.order[0]'

exit codes: 0 ranked, 2 usage, 74 the store cannot be read"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("units", nargs="+", metavar="UNIT", help="the units to rank")
    parser.add_argument("--attempts", default=None, metavar="JSON",
                        help="a JSON array of {unit_id, outcome, attempted_at_ms} to rank by "
                             "instead of the store's attempts")


def run(*, units: list[str], attempts: str | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import pick_priority as api
    from dos.api.pacing import attempts_from_json
    from dos.render import emit
    from dos.workspace import load_config

    given = attempts_from_json(attempts, "") if attempts is not None else None
    config = load_config(workspace, driver)
    ranking = api.pick_priority(config, units, attempts=given)

    def text(_color: bool) -> str:
        lines = [f"RANKED  {len(ranking)} unit(s): never attempted first, then the least "
                 "recently attempted"]
        for rank, p in enumerate(ranking, start=1):
            when = f"  {p.attempts}x, last at {p.last_attempt_ms} ms" if p.attempts else ""
            lines.append(f"  {rank:>3}. {p.unit_id:<20} {p.freshness}{when}")
        return "\n".join(lines)

    emit(api.pick_priority_json(ranking), output=output, text=text)
    return 0
