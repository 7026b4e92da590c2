"""dos id-alloc {allocate SCOPE [--start N], peek SCOPE}: ids that are never reused, per scope."""

from __future__ import annotations

import argparse

from dos.render import dumps
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos id-alloc allocate next-up            1, then 2, 3, …
  dos id-alloc allocate tickets --start 100   100 the first time only
  dos id-alloc peek next-up                the last id handed out (null if none)

A damaged counter is an error (exit 74), never a restart: ids are not reused."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True, metavar="{allocate,peek}")
    allocate = actions.add_parser("allocate", help="hand out the scope's next id")
    allocate.add_argument("scope", help="the id space, e.g. next-up")
    allocate.add_argument("--start", type=int, default=1,
                          help="the first id of a new scope (default 1; ignored afterwards)")
    peek = actions.add_parser("peek", help="the last id handed out; allocates nothing")
    peek.add_argument("scope", help="the id space")


def run(*, action: str, scope: str, start: int = 1, workspace: str | None,
        driver: str | None, **_: object) -> int:
    from dos.admission import id_alloc

    config = load_config(workspace, driver)
    if action == "allocate":
        value: int | None = id_alloc.allocate(config, scope, start=start)
    else:
        value = id_alloc.peek(config, scope)
    print(dumps({"id": value, "scope": scope.strip()}))
    return 0
