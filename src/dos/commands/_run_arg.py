"""The run id of the recovery verbs: ``RUN_ID`` or, as the reference spelt it, ``--run-id``."""

from __future__ import annotations

import argparse

from dos.errors import UsageError

__all__ = ["add_run_id", "chosen_run_id"]


def add_run_id(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", metavar="RUN_ID", nargs="?", default=None,
                        help="the run's id (RID-…, from `dos run-id mint`)")
    parser.add_argument("--run-id", default=None, metavar="RID", help="the same, as a flag")


def chosen_run_id(run: str | None, run_id: str | None) -> str:
    """The one run id given; a usage error for none, or two that differ."""
    given = {text for text in (run, run_id) if text is not None}
    if len(given) != 1:
        raise UsageError("name one run: RUN_ID or --run-id" if not given else
                         f"RUN_ID {run!r} and --run-id {run_id!r} differ",
                         hint="e.g. `dos resume RID-1M8HSC4V72JNYG0`")
    return given.pop()
