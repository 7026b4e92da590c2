"""Admission throughput through the CLI: P workers each run `dos lease-lane acquire`
then `dos lease-lane release` (one process per command, as agents do) on a lane of
their own for S seconds; cycles per second on the embedded SQLite store and on
PostgreSQL, and their ratio (PostgreSQL should be at least SQLite's).

    python bench/cli_throughput.py [--processes P] [--seconds S] [--rounds R] [--url URL]

The PostgreSQL workspace uses a private schema at URL (default $DOS_TEST_POSTGRES_URL,
else the loopback server) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _timing import bench_env, dos_command
from _workspaces import pg_schema

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _toml(lanes: int, store: str) -> str:
    names = [f"l{index}" for index in range(lanes)]
    trees = "\n".join(f'{lane} = ["dir{index}/**"]' for index, lane in enumerate(names))
    return f"[lanes]\nconcurrent = {json.dumps(names)}\n[lanes.trees]\n{trees}\n{store}"


def _worker(dos: list[str], root: Path, lane: str, until: float, counts: list[int]) -> None:
    env, owner = bench_env(), ["--lane", lane, "--owner", f"bench-{lane}"]
    while time.perf_counter() < until:
        for step in ("acquire", "release"):
            done = subprocess.run([*dos, "lease-lane", step, *owner], cwd=root, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  check=False)
            if done.returncode != 0:
                raise SystemExit(f"{step} on {lane} exited {done.returncode}: "
                                 f"{done.stderr.decode(errors='replace')}")
        counts.append(1)


def _measure(dos: list[str], root: Path, processes: int, seconds: float) -> float:
    """Acquire+release cycles per second over all workers."""
    counts: list[int] = []
    started = time.perf_counter()
    workers = [threading.Thread(target=_worker, args=(dos, root, f"l{index}",
                                                      started + seconds, counts))
               for index in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(counts) / (time.perf_counter() - started)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=8, help="concurrent workers")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds per backend; the median is reported")
    parser.add_argument("--url", default=os.environ.get("DOS_TEST_POSTGRES_URL") or
                        DEFAULT_URL, help="the PostgreSQL server to use")
    return parser.parse_args()


def main() -> int:
    args, dos = _arguments(), dos_command()
    samples: dict[str, list[float]] = {"postgresql": [], "sqlite": []}
    with tempfile.TemporaryDirectory() as temp, pg_schema(args.url) as url:
        roots = {"postgresql": Path(temp, "pg"), "sqlite": Path(temp, "lite")}
        stores = {"postgresql": f'[store]\nurl = {json.dumps(url)}\nworkspace_id = "bench"\n',
                  "sqlite": ""}
        for name, root in roots.items():
            root.mkdir()
            (root / "dos.toml").write_text(_toml(args.processes, stores[name]), "utf-8")
            _measure(dos, root, 1, 0.0)  # create the store outside the timing
        for _ in range(args.rounds):  # alternate, so load from elsewhere hits both alike
            for name, root in roots.items():
                samples[name].append(_measure(dos, root, args.processes, args.seconds))
    postgres, sqlite = (statistics.median(samples[name]) for name in ("postgresql", "sqlite"))
    print(f"CLI acquire+release cycles/s ({args.processes} workers, {args.seconds:g} s, "
          f"median of {args.rounds}); each cycle is two `dos` processes")
    print(f"  postgresql  {postgres:7.1f} cycles/s")
    print(f"  sqlite      {sqlite:7.1f} cycles/s")
    print(f"  ratio postgresql/sqlite: {postgres / sqlite:.2f} (target >= 1.0)")
    return 0 if postgres >= sqlite else 1


if __name__ == "__main__":
    sys.exit(main())
