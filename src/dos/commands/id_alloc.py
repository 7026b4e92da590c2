"""dos id-alloc {allocate SCOPE [--start N], peek SCOPE}: ids that are never reused, per scope."""

from __future__ import annotations

import argparse

from dos.api.locks import IssuedId
from dos.commands._args import count
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos id-alloc allocate next-up            1, then 2, 3, …
  dos id-alloc allocate tickets --start 100   100 the first time only
  dos id-alloc peek next-up                the last id handed out (none if none)
  dos id-alloc allocate next-up --json     {"id": 4, "scope": "next-up", …}

A damaged counter is an error (exit 74), never a restart: ids are not reused."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True, metavar="{allocate,peek}")
    allocate = actions.add_parser("allocate", help="hand out the scope's next id")
    allocate.add_argument("scope", help="the id space, e.g. next-up")
    allocate.add_argument("--start", type=count(), default=1,
                          help="the first id of a new scope (default 1; ignored afterwards)")
    peek = actions.add_parser("peek", help="the last id handed out; allocates nothing")
    peek.add_argument("scope", help="the id space")


def _text(issued: IssuedId) -> str:
    if issued.allocated:
        return f"{issued.value}  the next id of scope {issued.scope}"
    if issued.value is None:
        return f"none  scope {issued.scope} has handed out no id yet"
    return f"{issued.value}  the last id handed out in scope {issued.scope}"


def run(*, action: str, scope: str, workspace: str | None, driver: str | None, output: str,
        start: int = 1) -> int:
    from dos.api import locks

    config = load_config(workspace, driver)
    if action == "allocate":
        issued = locks.allocate_id(config, scope, start=start)
    else:
        issued = locks.peek_id(config, scope)
    emit(locks.id_json(issued), output=output, text=lambda _color: _text(issued))
    return 0
