"""Admission throughput: acquire + release cycles per second through the real lease
path (`dos.admission.lane_lease`), on PostgreSQL and on the embedded SQLite store, and their ratio.

    python bench/store_pg.py [--cycles N] [--processes P] [--rounds R] [--url postgresql://…]

Each cycle is two write transactions (acquire: arbitrate, insert, journal; release).
With P > 1, P processes cycle on disjoint lanes of one workspace at once. The
PostgreSQL run uses a private schema in the database at --url (default
$DOS_TEST_POSTGRES_URL, else the loopback server) and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.config import load_workspace_config

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
LANES = 8


def _toml(store: str) -> str:
    lanes = [f"l{index}" for index in range(LANES)]
    trees = "\n".join(f'{lane} = ["dir{index}/**"]' for index, lane in enumerate(lanes))
    return (f"[lanes]\nconcurrent = {json.dumps(lanes)}\n[lanes.trees]\n{trees}\n"
            f"[store]\n{store}\n")


def _cycles(root: str, lane: str, cycles: int) -> float:
    """Run ``cycles`` acquire+release pairs; the seconds they took."""
    config = load_workspace_config(Path(root))
    lane_lease.live_leases(config)  # connect and create outside the timing
    started = time.perf_counter()
    for _ in range(cycles):
        got = lane_lease.acquire(config, LeaseRequest(lane=lane), owner=f"bench-{lane}")
        if got.lease is None:
            raise SystemExit(f"refused: {got.decision.reason}")
        if not lane_lease.release(config, owner=f"bench-{lane}",
                                  lease_id=got.lease.lease_id).released:
            raise SystemExit("release failed")
    return time.perf_counter() - started


def _measure(root: Path, cycles: int, processes: int) -> float:
    """Cycles per second over all processes."""
    if processes == 1:
        return cycles / _cycles(str(root), "l0", cycles)
    roots, lanes = [str(root)] * processes, [f"l{index % LANES}" for index in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_cycles, roots, lanes, [1] * processes))  # start the workers
        started = time.perf_counter()
        list(pool.map(_cycles, roots, lanes, [cycles] * processes))
        return processes * cycles / (time.perf_counter() - started)


def _private_schema(url: str) -> tuple[str, str]:
    schema = f"dos_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in url else "?"
    return schema, f"{url}{joiner}options=-csearch_path%3D{schema}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=300, help="cycles per process")
    parser.add_argument("--processes", type=int, default=1, help="concurrent processes")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds per backend; the median is reported")
    parser.add_argument("--url", default=os.environ.get("DOS_TEST_POSTGRES_URL") or
                        DEFAULT_URL, help="the PostgreSQL server to use")
    args = parser.parse_args()
    schema, url = _private_schema(args.url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pg_root, lite_root = Path(tmp, "pg"), Path(tmp, "lite")
            pg_root.mkdir()
            lite_root.mkdir()
            (pg_root / "dos.toml").write_text(
                _toml(f'url = {json.dumps(url)}\nworkspace_id = "bench"'), encoding="utf-8")
            (lite_root / "dos.toml").write_text(_toml(""), encoding="utf-8")
            # Alternate the backends so load from elsewhere hits both alike; medians.
            samples: dict[str, list[float]] = {"pg": [], "lite": []}
            for _ in range(args.rounds):
                samples["pg"].append(_measure(pg_root, args.cycles, args.processes))
                samples["lite"].append(_measure(lite_root, args.cycles, args.processes))
            postgres, sqlite = (statistics.median(samples[key]) for key in ("pg", "lite"))
    finally:
        with psycopg.connect(args.url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    where = f"{args.processes} process(es) x {args.cycles} cycles, median of {args.rounds}"
    print(f"acquire+release cycles/s ({where}); each cycle is 2 write transactions")
    print(f"  postgresql  {postgres:8.1f} cycles/s  ({1000 / postgres * args.processes:6.2f} "
          "ms per cycle per process)")
    print(f"  sqlite      {sqlite:8.1f} cycles/s  ({1000 / sqlite * args.processes:6.2f} "
          "ms per cycle per process)")
    print(f"  ratio postgresql/sqlite: {postgres / sqlite:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
