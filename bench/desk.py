"""What the desk app's refresh costs: the data behind one redraw of the top screen (the
frame and its pending column) and of the decisions screen, read on from the previous
frame's cursors, against the same read made afresh (what a refresh would cost if it
replayed the journals). Both run in this process on one store of --records journal
records (default 200,000; half verdicts, half ops) and 50 live leases, seeded as
bench/top.py seeds it. Target: a refresh takes at most 0.5x a fresh read.

    python bench/desk.py [--runs N] [--records N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _timing import report_ratio
from top import _fill

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET = 0.5


def _redraw(desk: object) -> None:
    desk.top()  # type: ignore[attr-defined]
    desk.decisions()  # type: ignore[attr-defined]


def _median(runs: int, make: object, *, refresh: bool) -> float:
    from dos.tui.data import DeskData

    kept = DeskData(make())  # type: ignore[operator]
    _redraw(kept)
    samples = []
    for _ in range(runs):
        desk = kept if refresh else DeskData(make())  # type: ignore[operator]
        began = time.perf_counter()
        _redraw(desk)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed redraws per case (>= 5)")
    parser.add_argument("--records", type=int, default=200_000,
                        help="journal records in the store (>= 1000)")
    options = parser.parse_args()
    from dos.config import load_workspace_config

    runs, records = max(5, options.runs), max(1000, options.records)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        began = time.perf_counter()
        _fill(root, records, 86_400_000, "")
        print(f"{records:,} records, 50 live leases: seeded in "
              f"{time.perf_counter() - began:.1f} s")
        fresh = _median(runs, lambda: load_workspace_config(root), refresh=False)
        again = _median(runs, lambda: load_workspace_config(root), refresh=True)
    print(f"one redraw's data (top frame + pending + decisions queue), median of {runs}:")
    report_ratio("  read afresh", fresh, fresh, None)
    return 0 if report_ratio("  read on from the cursors", again, fresh, TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
