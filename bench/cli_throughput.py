"""Admission throughput through the CLI: P workers each run `dos lease-lane acquire`
then `dos lease-lane release` (one process per command, as agents do) on a lane of
their own for S seconds; cycles per second on the embedded SQLite store, on
PostgreSQL with each process opening its own server session, and on PostgreSQL with
`dos store keep` lending warm sessions; and their ratios to SQLite (PostgreSQL should be
at least SQLite's).

    python bench/cli_throughput.py [--processes P] [--seconds S] [--rounds R] [--url URL]

Each PostgreSQL workspace uses a private schema at URL (default $DOS_TEST_POSTGRES_URL,
else the loopback server), dropped afterwards; its keeper runs only during its rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from _timing import bench_env, dos_command
from _workspaces import pg_schema

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _toml(lanes: int, store: str) -> str:
    names = [f"l{index}" for index in range(lanes)]
    trees = "\n".join(f'{lane} = ["dir{index}/**"]' for index, lane in enumerate(names))
    return f"[lanes]\nconcurrent = {json.dumps(names)}\n[lanes.trees]\n{trees}\n{store}"


def _worker(dos: list[str], root: Path, lane: str, until: float, counts: list[int], *,
            env: dict[str, str]) -> None:
    owner = ["--lane", lane, "--owner", f"bench-{lane}"]
    while time.perf_counter() < until:
        for step in ("acquire", "release"):
            done = subprocess.run([*dos, "lease-lane", step, *owner], cwd=root, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  check=False)
            if done.returncode != 0:
                raise SystemExit(f"{step} on {lane} exited {done.returncode}: "
                                 f"{done.stderr.decode(errors='replace')}")
        counts.append(1)


def _measure(dos: list[str], root: Path, processes: int, seconds: float,
             env: dict[str, str]) -> float:
    """Acquire+release cycles per second over all workers."""
    counts: list[int] = []
    started = time.perf_counter()
    workers = [threading.Thread(target=_worker, args=(dos, root, f"l{index}",
                                                      started + seconds, counts),
                                kwargs={"env": env})
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


@contextlib.contextmanager
def _keeper(dos: list[str], root: Path) -> Iterator[None]:
    """`dos store keep` for the workspace at ``root``, running until the block ends."""
    keeper = subprocess.Popen([*dos, "store", "keep"], cwd=root, env=bench_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = keeper.stdout.readline() if keeper.stdout else ""
        if not line.startswith("KEEPING"):
            raise SystemExit(f"dos store keep did not start: {line}"
                             f"{keeper.stderr.read() if keeper.stderr else ''}")
        yield
    finally:
        keeper.terminate()
        keeper.wait(timeout=30)


def main() -> int:
    args, dos = _arguments(), dos_command()
    names = ("postgresql", "postgresql+keeper", "sqlite")
    samples: dict[str, list[float]] = {name: [] for name in names}
    direct = bench_env({"DOS_NO_PG_KEEPER": "1"})
    envs = {"postgresql": direct, "postgresql+keeper": bench_env(), "sqlite": direct}
    with tempfile.TemporaryDirectory() as temp, pg_schema(args.url) as url, \
            pg_schema(args.url) as kept_url:
        roots = {name: Path(temp, name.replace("+", "-")) for name in names}
        stores = {name: f'[store]\nurl = {json.dumps(store)}\nworkspace_id = "bench"\n'
                  for name, store in (("postgresql", url), ("postgresql+keeper", kept_url))}
        stores["sqlite"] = ""
        for name, root in roots.items():
            root.mkdir()
            (root / "dos.toml").write_text(_toml(args.processes, stores[name]), "utf-8")
            _measure(dos, root, 1, 0.0, envs[name])  # create the store outside the timing
        for _ in range(args.rounds):  # alternate, so load from elsewhere hits all alike
            for name, root in roots.items():
                with _keeper(dos, root) if name == "postgresql+keeper" else \
                        contextlib.nullcontext():
                    samples[name].append(_measure(dos, root, args.processes, args.seconds,
                                                  envs[name]))
    rates = {name: statistics.median(samples[name]) for name in names}
    print(f"CLI acquire+release cycles/s ({args.processes} workers, {args.seconds:g} s, "
          f"median of {args.rounds}); each cycle is two `dos` processes")
    for name in names:
        print(f"  {name:<18} {rates[name]:7.1f} cycles/s")
    print(f"  ratio postgresql/sqlite: {rates['postgresql'] / rates['sqlite']:.2f} "
          "(each process opens its own server session)")
    kept = rates["postgresql+keeper"] / rates["sqlite"]
    print(f"  ratio postgresql+keeper/sqlite: {kept:.2f} (target >= 1.0)")
    return 0 if kept >= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
