"""`dos journal verify` over a long ops journal: the whole chain, and on from the last
verified point.

A journal of --records records (default 1,000,000: leases acquired, renewed twice and
released) is sealed straight into a fresh SQLite store. Then:

1. the first verify (no verified point yet: it walks everything) and `verify --full`,
   through the Python API;
2. --runs times: 100 new records, then the default verify (on from the last verified
   point), through the Python API (target <= 0.2 s) and as a `dos journal verify`
   process, beside `python -c pass` measured in the same run.

Medians are printed.

    python bench/journal_verify.py [--records N] [--runs N] [--full-runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _timing import bench_env, dos_command
from dos.admission.lease import Lease
from dos.config import SubstrateConfig, load_workspace_config
from dos.record.journal_verify import VerifyReport, verify
from dos.store import store_for
from dos.store.journal import JournalEntry

TARGET_S = 0.2
NEW = 100
_BATCH = 50_000


def _cycles(count: int, first_lease: int) -> Iterator[JournalEntry]:
    """ACQUIRE, HEARTBEAT, HEARTBEAT, RELEASE per lease: ``count`` records (a multiple
    of 4, so that no lease is left held)."""
    for index in range(count // 4):
        lease_id = first_lease + index
        lane = f"l{lease_id % 7}"
        lease = Lease(lease_id=lease_id, lane=lane, tree=(f"{lane}/**",), holder=f"w{index % 13}",
                      acquired_at_ms=1, renewed_at_ms=1, ttl_ms=60_000)
        yield JournalEntry("ACQUIRE", lane=lane, holder=lease.holder, lease_id=lease_id,
                           payload={"lease": lease.to_dict(), "reason": "bench"})
        for renewed in (2, 3):
            yield JournalEntry("HEARTBEAT", lane=lane, holder=lease.holder, lease_id=lease_id,
                               payload={"renewed_at_ms": renewed})
        yield JournalEntry("RELEASE", lane=lane, holder=lease.holder, lease_id=lease_id)


def append(config: SubstrateConfig, count: int, first_lease: int) -> None:
    store = store_for(config)
    try:
        for start in range(0, count, _BATCH):
            size = min(_BATCH, count - start)
            with store.transaction(write=True) as tx:
                tx.append_many(_cycles(size, first_lease + start // 4), ts_ms=tx.now_ms())
    finally:
        store.close()


def _timed(action: Callable[[], VerifyReport]) -> tuple[float, VerifyReport]:
    started = time.perf_counter()
    report = action()
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"verify found problems: {report.to_dict()['problems']}")
    return elapsed, report


def _process(argv: list[str]) -> float:
    """Wall seconds of one process, which must exit 0."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=bench_env(), capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv} exited {done.returncode}: {done.stderr!r}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="records in the journal (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=7, help="re-verifies after 100 records")
    parser.add_argument("--full-runs", type=int, default=2, help="runs of verify --full")
    options = parser.parse_args()
    records = max(NEW, options.records // 4 * 4)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "dos.toml").write_text("[lanes]\nconcurrent = [\"l0\"]\n", encoding="utf-8")
        config = load_workspace_config(root)
        started = time.perf_counter()
        append(config, records, 1)
        size = (root / ".dos" / "dos.db").stat().st_size / 1e6
        print(f"sealed {records:,} records in {time.perf_counter() - started:.1f} s "
              f"({size:.0f} MB)")
        first, report = _timed(lambda: verify(config))
        print(f"first verify (no verified point: all)  {first:7.2f} s  "
              f"({report.chain.records:,} records, mode {report.mode})")
        fulls = [_timed(lambda: verify(config, full=True))[0]
                 for _ in range(max(1, options.full_runs))]
        print(f"verify --full                          {statistics.median(fulls):7.2f} s  "
              f"(median of {len(fulls)}, with the database's quick_check)")
        api, cli, base, lease = [], [], [], 1 + records // 4
        for _ in range(max(1, options.runs)):
            append(config, NEW, lease)
            lease += NEW // 4
            seconds, report = _timed(lambda: verify(config))
            assert (report.mode, report.chain.records) == ("incremental", NEW), report
            api.append(seconds)
            append(config, NEW, lease)
            lease += NEW // 4
            cli.append(_process([*dos_command(), "--workspace", str(root), "journal",
                                 "verify"]))
            base.append(_process([sys.executable, "-c", "pass"]))
    median = statistics.median(api)
    verdict = "OK" if median <= TARGET_S else "OVER TARGET"
    print(f"re-verify after {NEW} new records, Python API  {median * 1000:7.1f} ms  "
          f"(median of {len(api)}; target <= {TARGET_S * 1000:.0f} ms) {verdict}")
    print(f"re-verify after {NEW} new records, dos process {statistics.median(cli) * 1000:7.1f} ms"
          f"  (python -c pass {statistics.median(base) * 1000:.1f} ms)")
    print(f"full / incremental: {statistics.median(fulls) / median:,.0f}x")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
