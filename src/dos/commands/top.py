"""dos top [--once] [--json] [--interval SEC]: the operator's desk, read-only."""

from __future__ import annotations

import argparse
import sys

from dos.api import top as api
from dos.commands._args import seconds
from dos.config import SubstrateConfig
from dos.render import color_enabled, emit
from dos.workspace import load_config

_EPILOG = """\
One row per lane: its holder, the lease's age, the heartbeat's age, the liveness chip
(ADVANCING / SPINNING / STALLED, judged only on what happened since the current lease was
granted; SPAWNING: a worker was spawned and has not taken its lease; FREE), the commits in
the lane's tree since the grant and the decisions waiting; then the totals, the newest
verdicts of the verdict journal (`dos observe`) and the newest commits. `*` marks an
exclusive lane. Nothing is written, and no store is created.

On a terminal the desk redraws every --interval seconds until Ctrl-C (exit 130); --once,
--output plain, --json and a pipe print one frame and exit 0. NO_COLOR turns colour off.

examples:
  dos top                  the live desk (one frame when piped)
  dos top --once           one text frame
  dos top --json           one JSON line: workspace, now, initialized, lanes, totals,
                           verdicts, activity

exit codes: 0 shown, 2 usage error, 74 the store cannot be read, 130 interrupted"""
_CLEAR = "\x1b[H\x1b[2J"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--once", action="store_true",
                        help="print one frame and exit, even on a terminal")
    parser.add_argument("--interval", type=seconds(0.5, 86_400), default=5.0, metavar="SEC",
                        help="seconds between redraws of the live desk (default 5, at "
                             "least 0.5)")


def run(*, once: bool, interval: float, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.commands._top_text import frame

    config = load_config(workspace, driver)
    found = api.frame(config)
    if once or output != "text" or not sys.stdout.isatty():
        emit(api.top_json(found), output=output, text=lambda color: frame(found, color=color))
        return 0
    return _live(config, found, delay=interval)


def _live(config: SubstrateConfig, found: api.TopFrame, *, delay: float) -> int:
    """Redraw every ``delay`` seconds, reading only what changed, until Ctrl-C (the CLI's
    boundary answers 130)."""
    import time

    from dos.commands._top_text import frame

    color = color_enabled(sys.stdout)
    footer = "read-only · Ctrl-C quits · this screen mutates nothing"
    while True:
        sys.stdout.write(f"{_CLEAR}{frame(found, color=color, footer=footer)}\n")
        sys.stdout.flush()
        time.sleep(delay)
        found = api.frame(config, cursor=found.cursor)
