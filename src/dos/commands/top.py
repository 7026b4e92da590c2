"""dos top [--once] [--json] [--interval SEC]: the operator's desk, read-only."""

from __future__ import annotations

import argparse

from dos.api import top as api
from dos.commands._args import seconds
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
One row per lane: its holder, the lease's age, the heartbeat's age, the liveness chip
(ADVANCING / SPINNING / STALLED, judged only on what happened since the current lease was
granted; SPAWNING: a worker was spawned and has not taken its lease; FREE), the commits in
the lane's tree since the grant and the decisions waiting; then the totals, the newest
verdicts of the verdict journal (`dos observe`) and the newest commits. `*` marks an
exclusive lane. Nothing is written, and no store is created.

On a terminal the desk opens in the desk app (the [tui] extra: t top, d decisions, p plan,
enter opens a lane, r refreshes, q quits) and refreshes every --interval seconds, reading
only what is newer; --once, --output plain, --json, a pipe or keys not from a terminal
print one frame and exit 0. NO_COLOR turns colour off.

examples:
  dos top                  the live desk (one frame when piped)
  dos top --once           one text frame
  dos top --json           one JSON line: workspace, now, initialized, lanes, totals,
                           verdicts, activity

exit codes: 0 shown, 2 usage error, 74 the store cannot be read, 130 interrupted"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--once", action="store_true",
                        help="print one frame and exit, even on a terminal")
    parser.add_argument("--interval", type=seconds(0.5, 86_400), default=5.0, metavar="SEC",
                        help="seconds between refreshes of the live desk (default 5, at "
                             "least 0.5)")


def run(*, once: bool, interval: float, workspace: str | None, driver: str | None,
        output: str) -> int:
    config = load_config(workspace, driver)
    found = api.frame(config)

    def floor() -> int:
        from dos.commands._top_text import frame

        emit(api.top_json(found), output=output, text=lambda color: frame(found, color=color))
        return 0

    from dos.tui.launch import open_desk

    return open_desk(config, "top", output=output, once=once, floor=floor, interval=interval)
