"""What `dos decisions` costs as the store grows, and what a refreshing screen saves.

A workspace's store gets --noise records the queue never shows (verify and pretool
verdicts, heartbeats: by far the most of any real journal) and a few hundred it does
(lease and arbitrate refusals, halt proposals, loop ticks). Timed in process through
`dos.api.decisions.queue`:

1. a fresh answer over that store against one over a store with the same rows and no
   noise: the reads go by op and syscall, so the ratio stays near 1 (target <= 2.0x);
2. a refresh (`queue(config, cursor=previous.cursor)`) after 20 new records against a
   fresh answer over the same store (target <= 0.5x).

    python bench/decisions.py [--noise N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _timing import report_ratio

NOISE_TARGET = 2.0
REFRESH_TARGET = 0.5
_DOS_TOML = ('[lanes]\nconcurrent = ["api", "ui"]\nexclusive = ["global"]\n'
             '[lanes.trees]\napi = ["src/api/**"]\nui = ["src/ui/**"]\nglobal = ["**/*"]\n')


def _workspace(root: Path, *, noise: int, rows: int) -> object:
    from dos.config import load_workspace_config
    from dos.store import writing
    from dos.store.journal import JournalEntry
    from dos.store.verdicts import VerdictEntry

    root.mkdir(parents=True)
    (root / "dos.toml").write_text(_DOS_TOML, encoding="utf-8")
    config = load_workspace_config(root)
    with writing(config) as tx:
        for index in range(noise):
            tx.append_verdict(VerdictEntry(syscall="pretool" if index % 2 else "verify",
                                           verdict="ALLOW", source="hook",
                                           subject=f"src/f{index}.py"))
            if index % 4 == 0:
                tx.append(JournalEntry("HEARTBEAT", lane="api", holder="w", lease_id=1))
        _rows(tx, rows, 0)
    return config


def _rows(tx: object, rows: int, start: int) -> None:
    from dos.store.journal import JournalEntry
    from dos.store.verdicts import VerdictEntry

    for index in range(start, start + rows):
        owner = f"agent-{index % 40}"
        tx.append(JournalEntry("REFUSE", lane="global", holder=owner, payload={  # type: ignore[attr-defined]
            "reason": "busy", "reason_class": "EXCLUSIVE_LANE_BUSY", "requested_lane": "global"}))
        tx.append_verdict(VerdictEntry(  # type: ignore[attr-defined]
            syscall="arbitrate", verdict="REFUSE", source="cli", lane="ui",
            detail={"reason_class": "TREE_OVERLAP", "reason": "overlaps"}))
        if index % 10 == 0:
            tx.append(JournalEntry("HALT", lane="api", holder="watchdog", payload={  # type: ignore[attr-defined]
                "handle": str(index), "reason": "watchdog: SPINNING", "command": "kill"}))
            tx.append_verdict(VerdictEntry(  # type: ignore[attr-defined]
                syscall="loop", verdict="TARGET_UNREACHABLE", source="cli",
                detail={"escalate": 1, "escalated": "ui"}))


def _median(run: Callable[[], object], runs: int) -> float:
    samples = []
    for index in range(runs + 1):
        start = time.perf_counter()
        run()
        if index:  # the first run warms caches
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--noise", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from dos.api.decisions import queue
    from dos.store import writing

    with tempfile.TemporaryDirectory() as tmp:
        noisy = _workspace(Path(tmp) / "noisy", noise=args.noise, rows=args.rows)
        quiet = _workspace(Path(tmp) / "quiet", noise=0, rows=args.rows)
        fresh = _median(lambda: queue(noisy, everything=True), args.runs)  # type: ignore[arg-type]
        baseline = _median(lambda: queue(quiet, everything=True), args.runs)  # type: ignore[arg-type]
        print(f"dos decisions over {args.noise} noise records and {args.rows} rows' records:")
        ok = report_ratio("fresh answer, noisy store vs quiet store", fresh, baseline,
                          NOISE_TARGET)
        last = queue(noisy, everything=True)  # type: ignore[arg-type]

        def refresh() -> None:
            nonlocal last
            with writing(noisy) as tx:  # type: ignore[arg-type]
                _rows(tx, 20, args.rows)
            last = queue(noisy, everything=True, cursor=last.cursor)  # type: ignore[arg-type]

        def fresh_after() -> None:
            with writing(noisy) as tx:  # type: ignore[arg-type]
                _rows(tx, 20, args.rows)
            queue(noisy, everything=True)  # type: ignore[arg-type]
        refreshed, again = _median(refresh, args.runs), _median(fresh_after, args.runs)
        ok = report_ratio("refresh with a cursor vs a fresh answer", refreshed, again,
                          REFRESH_TARGET) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
