"""dos run-id {mint,parse}: mint a sortable run id with lineage, or decode one."""

from __future__ import annotations

import argparse
import json
import os

from dos import run_id as run_ids
from dos.errors import UsageError
from dos.render import emit_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "examples:\n"
        "  dos run-id mint worker                  a new root run\n"
        "  dos run-id mint child --parent RID-…    a child; root comes from the parent\n"
        "  dos run-id parse RID-1M8HSC4V72JNYG0     when was it minted?"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="{mint,parse}")
    mint = actions.add_parser("mint", help="mint a new run id")
    mint.add_argument("process", help="what the run is (e.g. worker, watchdog)")
    mint.add_argument("--parent", help="the parent run id (default: $CID_RUN_ID if set)")
    mint.add_argument("--root", help="the root run id (default: the parent's root)")
    mint.add_argument("--no-env", action="store_true",
                      help="ignore CID_RUN_ID / CID_ROOT_ID in the environment")
    parse = actions.add_parser("parse", help="decode a run id to its mint time")
    parse.add_argument("run_id", help="a run id such as RID-1M8HSC4V72JNYG0")


def run(*, action: str, output: str, process: str = "", parent: str | None = None,
        root: str | None = None, no_env: bool = False, run_id: str = "", **_: object) -> int:
    try:
        if action == "parse":
            payload = run_ids.parse(run_id)
        else:
            if not no_env:
                parent = parent or os.environ.get("CID_RUN_ID") or None
                root = root or (os.environ.get("CID_ROOT_ID") if parent else None) or None
            payload = run_ids.mint(process, parent, root=root).as_dict()
    except ValueError as exc:
        raise UsageError(str(exc), hint="name the process (e.g. worker); --parent and --root "
                         "take run ids such as RID-1M8HSC4V72JNYG0") from None
    if output == "json":
        emit_json(payload)
    else:
        print(json.dumps(payload, indent=2, sort_keys=True))
    return 0
