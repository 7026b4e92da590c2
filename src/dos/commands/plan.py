"""dos plan [--once] [--json] [PLAN PHASE …]: each phase's claim beside git's verdict;
dos plan --lifecycle [--judge NAME]: one lifecycle tick over the plan documents."""

from __future__ import annotations

import argparse
import math

from dos.api import truth as api
from dos.commands._args import seconds
from dos.errors import UsageError
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
Phases come from the plan documents ([paths] plans_glob, default docs/**/*-plan.md):
a heading "## 3. AUTH AUTH3 — title" or a bullet "- **AUTH3.1 — …" under it. The
claim is SHIPPED / ✅ / "status: done" (shipped), soak / blocked / gated / deferred
(blocked), else open. The oracle column is `dos verify` for that phase; history is
read once for the whole board. Nothing is written.

On a terminal the board opens in the desk app (the [tui] extra: t top, d decisions,
p plan, enter opens a phase, q quits) and refreshes every --interval seconds;
--once, --output plain, --json and a pipe print one frame and exit.

--lifecycle prints one lifecycle tick instead (one frame, nothing written): each plan
document's class (its `class: NAME` line, else the first of [lifecycle] classes), the
transition due by its trigger, and READY or HELD by the veto class, the per-plan
cooldown (from the newest commit that moved the document to another class), an operator
(auto = false), the judge (--judge NAME: only its AGREE makes a move ready) or the
cycle's cap. Units and which shipped are `dos enumerate`'s answer.

examples:
  dos plan                        the live board (one frame when piped)
  dos plan --once                 one text frame
  dos plan --json                 one JSON line
  dos plan AUTH AUTH1 AUTH AUTH2  just these phases
  dos plan --lifecycle --judge similarity --json

exit codes: 0 the board or the tick was drawn (divergence and due moves are shown, not
judged), 2 usage, config or git error (an unknown judge too)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pairs", nargs="*", metavar="PLAN PHASE",
                        help="explicit (plan, phase) pairs instead of the plan documents")
    parser.add_argument("--once", action="store_true",
                        help="print one frame and exit, even on a terminal")
    parser.add_argument("--interval", type=seconds(0.5, 86_400), default=2.0, metavar="SEC",
                        help="seconds between refreshes of the live board (default 2, at "
                             "least 0.5)")
    parser.add_argument("--source", default="markdown",
                        help="where phases come from: markdown (the plan documents)")
    parser.add_argument("--ref", default="HEAD", help="judge against this ref (default HEAD)")
    parser.add_argument("--lifecycle", action="store_true",
                        help="print one [lifecycle] tick: each plan's class and the "
                             "transition due, ready or held (and why)")
    parser.add_argument("--judge", default=None, metavar="NAME",
                        help="with --lifecycle: ask this judge about each move nothing else "
                             "holds; only its AGREE makes it ready")
    parser.epilog = _EPILOG


def _check_interval(interval: float) -> float:
    if not math.isfinite(interval) or interval <= 0 or interval > 86_400:
        raise UsageError(f"--interval must be a number of seconds from 0.5 to 86400, "
                         f"got {interval}", hint="e.g. --interval 5")
    return max(0.5, interval)


def _lifecycle(*, pairs: list[str], source: str, ref: str, judge: str | None,
               workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import lifecycle as api_lifecycle
    from dos.commands._lifecycle_text import lifecycle_text

    if pairs or source != "markdown":
        raise UsageError("--lifecycle reads the plan documents: it takes no PLAN PHASE "
                         "pairs and no other --source", hint="run `dos plan --lifecycle`")
    config = load_config(workspace, driver)
    tick = api_lifecycle.lifecycle_tick(config, ref=ref, judge=judge)
    emit(api_lifecycle.lifecycle_json(tick, ref=ref, judge=judge), output=output,
         text=lambda color: lifecycle_text(tick, judge=judge, color=color))
    return 0


def run(*, pairs: list[str], once: bool, interval: float, source: str, ref: str,
        workspace: str | None, driver: str | None, output: str, lifecycle: bool = False,
        judge: str | None = None) -> int:
    delay = _check_interval(interval)
    if lifecycle:
        return _lifecycle(pairs=pairs, source=source, ref=ref, judge=judge,
                          workspace=workspace, driver=driver, output=output)
    if judge is not None:
        raise UsageError("--judge goes with --lifecycle",
                         hint="e.g. `dos plan --lifecycle --judge similarity`")
    config = load_config(workspace, driver)
    board = api.plan_board(config, pairs=pairs, source=source, ref=ref)

    def floor() -> int:
        from dos.commands._plan_text import frame

        emit(api.plan_json(board), output=output,
             text=lambda color: frame(board, color=color, ascii_only=output == "plain"))
        return 0

    from dos.tui.launch import open_desk

    return open_desk(config, "plan", output=output, once=once, floor=floor, interval=delay,
                     plan_pairs=pairs, plan_ref=ref)
