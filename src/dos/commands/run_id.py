"""dos run-id {mint,parse}: mint a sortable run id with lineage, or decode one."""

from __future__ import annotations

import argparse

from dos.render import emit
from dos.run_id import RunId


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "examples:\n"
        "  dos run-id mint worker                  a new root run\n"
        "  dos run-id mint child --parent RID-…    a child; root comes from the parent\n"
        "  dos run-id parse RID-1M8HSC4V72JNYG0     when was it minted?\n"
        "  rid=$(dos run-id mint worker --json | jq -r .run_id)\n\n"
        "The text answer starts with the run id; --json gives every field."
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


def _minted_text(run: RunId) -> str:
    from dos.run_id import parse

    lineage = f"parent {run.parent_id}, " if run.parent_id else ""
    return (f"{run.run_id}  {run.process_id}, {lineage}root {run.root_id}, minted "
            f"{parse(run.run_id)['minted_at']}")


def run(*, action: str, output: str, workspace: str | None, driver: str | None,
        process: str = "", parent: str | None = None, root: str | None = None,
        no_env: bool = False, run_id: str = "") -> int:
    from dos.api import run_ids as api

    # A run id needs no workspace: --workspace and --driver are accepted, as by every verb,
    # and change nothing here.
    del workspace, driver
    if action == "parse":
        decoded = api.decode(run_id)
        emit(api.decoded_json(decoded), output=output, text=lambda _color: (
            f"{decoded['run_id']}  minted {decoded['minted_at']} (ts_ms {decoded['ts_ms']})"))
        return 0
    minted = api.mint(process, parent=parent, root=root, from_env=not no_env)
    emit(api.minted_json(minted), output=output, text=lambda _color: _minted_text(minted))
    return 0
