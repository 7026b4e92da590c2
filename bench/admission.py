"""Admission latency, and whether its cost grows with history.

1. acquire + release, median, through the Python API;
2. the same through the CLI (`dos lease-lane acquire` / `release`), each as a ratio
   to the bare interpreter (`python -c pass`) measured in the same run;
3. `live_leases` + `arbitrate` with 50 live leases over a 100-record journal and over
   a 1,000,000-record one (250,000 past leases: acquire, two heartbeats, release).
   Target: the big store costs at most 2x the small one.
4. --cycles acquire+release cycles (default 5,000) in one process through the Python API
   on a fresh SQLite store, with the default lock delay: the throughput of the first and
   of the last 1,000, and their ratio (target >= 0.9: the clean releases piling up inside
   the delay window must not slow a grant down). Repeated --repeats times; medians.

    python bench/admission.py [--records N] [--runs N] [--cycles N] [--repeats N]
                              [--only cycles]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _timing import dos_command
from dos.admission import lane_lease
from dos.admission.arbiter import arbitrate
from dos.admission.lease import Lease, LeaseRequest
from dos.config import SubstrateConfig, load_workspace_config
from dos.store import store_for
from dos.store.journal import JournalEntry

TARGET = 2.0
CYCLES_TARGET = 0.9
WINDOW = 1_000
LIVE = 50
LANES = 60


def _workspace(root: Path) -> SubstrateConfig:
    lanes = [f"l{index}" for index in range(LANES)]
    trees = "\n".join(f'{lane} = ["{lane}/**"]' for lane in lanes)
    (root / "dos.toml").write_text(
        f"[lanes]\nconcurrent = {lanes!r}\nexclusive = [\"global\"]\n"
        f"autopick = {lanes!r}\n\n[lanes.trees]\n{trees}\nglobal = [\"**\"]\n",
        encoding="utf-8")
    return load_workspace_config(root)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def bench_api(config: SubstrateConfig, runs: int) -> float:
    free_lane = f"l{LANES - 1}"  # never among the live leases

    def cycle() -> None:
        granted = lane_lease.acquire(config, LeaseRequest(lane=free_lane), owner="bench")
        assert granted.lease is not None, granted.decision.reason
        assert lane_lease.release(config, lease_id=granted.lease.lease_id, owner="bench")
    cycle()  # creates the store
    return _median_ms(_timed(cycle, runs))


def bench_cli(root: Path, runs: int) -> tuple[float, float, float]:
    """Medians (ms) of `python -c pass`, one CLI acquire and one CLI release."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(root / ".pycache")  # as installed: bytecode cached
    dos = [*dos_command(), "--workspace", str(root), "lease-lane"]

    def run(argv: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{argv} exited {done.returncode}: {done.stderr!r}")
        return time.perf_counter() - start

    baseline, acquires, releases = [], [], []
    for index in range(runs + 1):
        times = (run([sys.executable, "-c", "pass"]),
                 run([*dos, "acquire", "--lane", "l1", "--owner", "cli"]),
                 run([*dos, "release", "--lane", "l1", "--owner", "cli"]))
        if index:  # the first round warms bytecode and page caches
            for bucket, value in zip((baseline, acquires, releases), times, strict=True):
                bucket.append(value)
    return _median_ms(baseline), _median_ms(acquires), _median_ms(releases)


def _history(count: int, start_id: int) -> Iterator[JournalEntry]:
    """ACQUIRE, HEARTBEAT, HEARTBEAT, RELEASE per past lease, until ``count`` records."""
    lease_id = start_id
    while count > 0:
        lease = Lease(lease_id=lease_id, lane="old", tree=("old/**",), holder="past",
                      acquired_at_ms=1, renewed_at_ms=1, ttl_ms=60_000)
        cycle = [JournalEntry("ACQUIRE", lane="old", holder="past", lease_id=lease_id,
                              payload={"lease": lease.to_dict(), "reason": "bench"}),
                 JournalEntry("HEARTBEAT", lane="old", holder="past", lease_id=lease_id,
                              payload={"renewed_at_ms": 2}),
                 JournalEntry("HEARTBEAT", lane="old", holder="past", lease_id=lease_id,
                              payload={"renewed_at_ms": 3}),
                 JournalEntry("RELEASE", lane="old", holder="past", lease_id=lease_id)]
        yield from cycle[:count]
        count -= len(cycle)
        lease_id += 1


def build_store(config: SubstrateConfig, records: int) -> None:
    """``records`` journal records of past leases (and their released lease rows),
    then ``LIVE`` live leases, in one transaction."""
    store = store_for(config)
    try:
        with store.transaction(write=True) as tx:
            now = tx.now_ms()
            past = -(-max(0, records - LIVE) // 4)
            for _ in range(past):
                tx.insert_lease(Lease(lease_id=0, lane="old", tree=("old/**",),
                                      holder="past", acquired_at_ms=1, renewed_at_ms=3,
                                      ttl_ms=60_000, released_at_ms=4, release_kind="release"))
            tx.append_many(_history(max(0, records - LIVE), 1), ts_ms=now)
            for index in range(LIVE):
                lease = tx.insert_lease(Lease(
                    lease_id=0, lane=f"l{index}", tree=(f"l{index}/**",), holder=f"w{index}",
                    acquired_at_ms=now, renewed_at_ms=now, ttl_ms=3_600_000))
                tx.append(JournalEntry("ACQUIRE", lane=lease.lane, holder=lease.holder,
                                       lease_id=lease.lease_id,
                                       payload={"lease": lease.to_dict()}))
            assert tx.journal_count() == records
    finally:
        store.close()


def bench_admission_view(config: SubstrateConfig, runs: int) -> float:
    request = LeaseRequest(lane=f"l{LANES - 2}")

    def view() -> None:
        live = lane_lease.live_leases(config)
        assert len(live) == LIVE
        assert arbitrate(request, live, config).acquired
    view()
    return _median_ms(_timed(view, runs))


def cycle_rates(config: SubstrateConfig, cycles: int) -> tuple[float, float]:
    """Cycles per second over the first and the last ``WINDOW`` of ``cycles``.

    ``start_sha`` is given: reading HEAD is a git process per grant whose cost does not
    depend on the store's history, and whose noise would hide what does."""
    lane = f"l{LANES - 1}"
    stamps = [time.perf_counter()]
    for _ in range(cycles):
        granted = lane_lease.acquire(config, LeaseRequest(lane=lane), owner="bench",
                                     start_sha="")
        assert granted.lease is not None, granted.decision.reason
        assert lane_lease.release(config, lease_id=granted.lease.lease_id, owner="bench")
        stamps.append(time.perf_counter())
    window = min(WINDOW, cycles)
    return (window / (stamps[window] - stamps[0]),
            window / (stamps[-1] - stamps[-1 - window]))


def bench_cycles(base: Path, cycles: int, repeats: int) -> bool:
    """Throughput of the first and last 1,000 cycles, each repeat on a fresh store."""
    firsts, lasts, ratios = [], [], []
    for repeat in range(repeats):
        (base / f"cycles{repeat}").mkdir()
        config = _workspace(base / f"cycles{repeat}")
        assert config.store.lock_delay_s > 0  # the check this measures runs on every grant
        first, last = cycle_rates(config, cycles)
        firsts.append(first)
        lasts.append(last)
        ratios.append(last / first)
        print(f"  run {repeat + 1}: first {WINDOW:,} {first:7.1f}/s, last {WINDOW:,} "
              f"{last:7.1f}/s, ratio {last / first:4.2f}")
    ratio = statistics.median(ratios)
    verdict = "OK" if ratio >= CYCLES_TARGET else "UNDER TARGET"
    print(f"acquire+release, {cycles:,} cycles in one process (median of {repeats}): "
          f"first {WINDOW:,} {statistics.median(firsts):7.1f} cycles/s, last {WINDOW:,} "
          f"{statistics.median(lasts):7.1f} cycles/s, ratio {ratio:4.2f} "
          f"(target >= {CYCLES_TARGET}) {verdict}")
    return ratio >= CYCLES_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="journal records in the big store (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=40, help="samples per measurement")
    parser.add_argument("--cycles", type=int, default=5_000,
                        help="acquire+release cycles in one process (default 5,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the cycles bench")
    parser.add_argument("--only", choices=("cycles",), default=None,
                        help="run only the cycles bench")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        cycles_ok = bench_cycles(base, max(WINDOW, options.cycles), max(1, options.repeats))
        if options.only == "cycles":
            return 0 if cycles_ok else 1
        for name in ("api", "cli", "small", "big"):
            (base / name).mkdir()
        api_ms = bench_api(_workspace(base / "api"), options.runs * 5)
        print(f"python API  acquire+release   median {api_ms:8.2f} ms  "
              f"(empty store, n={options.runs * 5})")
        _workspace(base / "cli")
        baseline, acquire_ms, release_ms = bench_cli(base / "cli", max(10, options.runs // 2))
        print(f"python -c pass                median {baseline:8.2f} ms")
        print(f"CLI lease-lane acquire        median {acquire_ms:8.2f} ms  "
              f"{acquire_ms / baseline:5.2f}x python -c pass")
        print(f"CLI lease-lane release        median {release_ms:8.2f} ms  "
              f"{release_ms / baseline:5.2f}x python -c pass")
        small, big = _workspace(base / "small"), _workspace(base / "big")
        build_store(small, 100)
        started = time.perf_counter()
        build_store(big, options.records)
        print(f"built a {options.records:,}-record store in "
              f"{time.perf_counter() - started:.1f} s "
              f"({(base / 'big' / '.dos' / 'dos.db').stat().st_size / 1e6:.0f} MB)")
        ratio = _compare("live_leases+arbitrate", bench_admission_view(small, options.runs),
                         bench_admission_view(big, options.runs), options.records)
        _compare("acquire+release (Python API)", bench_api(small, options.runs),
                 bench_api(big, options.runs), options.records)
    return 0 if ratio <= TARGET and cycles_ok else 1


def _compare(label: str, small_ms: float, big_ms: float, records: int) -> float:
    ratio = big_ms / small_ms
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"{label}, {LIVE} live: 100 records {small_ms:6.2f} ms, {records:,} records "
          f"{big_ms:6.2f} ms  {ratio:4.2f}x (target <= {TARGET}x) {verdict}")
    return ratio


if __name__ == "__main__":
    sys.exit(main())
