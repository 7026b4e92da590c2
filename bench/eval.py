"""Does `dos judge-eval` stream? Peak memory and time per case for 10,000 and 1,000,000
cases.

Writes two case files alike but for their length (a mix of covered, negated, partial and
evidence-free claims, true and false), runs `dos judge-eval --judge similarity --json`
on each as its own process, and reads that process's peak RSS from wait4(). Prints both,
their ratio (target <= 1.2: memory must not grow with the file) and the time per case
(whole run, and the marginal cost of the extra cases, which leaves start-up out).

    python bench/eval.py [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import bench_env, dos_command

RSS_TARGET = 1.2
_CLAIMS = [
    ("tests pass", True, ["all tests pass on CI"]),
    ("tests pass", False, ["tests did not pass"]),
    ("the migration ran and the cache was flushed", True, ["the migration ran",
                                                          "the cache was flushed"]),
    ("the deploy finished", False, ["the deploy finished"]),
    ("docs were updated", False, ["no docs were updated"]),
    ("lint is clean and types check", True, ["lint is clean"]),
    ("the release is tagged", False, []),
]


def _write_cases(path: Path, count: int) -> None:
    lines = [json.dumps({"claim_text": f"{claim} (case {i})" if i % 3 else claim,
                         "truth": truth, "evidence": evidence})
             for i, (claim, truth, evidence) in enumerate(_CLAIMS)]
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(lines[number % len(lines)])
            out.write("\n")


def _run(workspace: Path, cases: Path) -> tuple[float, int, dict[str, object]]:
    """(wall seconds, peak RSS in KiB, the report) of one judge-eval process."""
    argv = [*dos_command(), "--workspace", str(workspace), "judge-eval", "--cases",
            str(cases), "--judge", "similarity", "--json"]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE,
                                   env=bench_env())
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"judge-eval exited {code}: {process.stderr.read().decode()}")
        sink.seek(0)
        report = json.loads(sink.read())
    return wall, usage.ru_maxrss, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dos-bench-eval-") as tmp:
        root = Path(tmp)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        results = {}
        for count in (options.small, options.large):
            cases = root / f"cases-{count}.jsonl"
            _write_cases(cases, count)
            wall, rss, report = _run(root, cases)
            if report["n"] != count:
                raise SystemExit(f"judge-eval counted {report['n']} of {count} cases")
            results[count] = (wall, rss)
            print(f"{count:>9,} cases  {wall:8.2f} s  {wall / count * 1e6:7.1f} µs/case  "
                  f"peak RSS {rss / 1024:7.1f} MiB  grid {report['grid']}")
    (small_wall, small_rss), (large_wall, large_rss) = results[options.small], \
        results[options.large]
    marginal = (large_wall - small_wall) / (options.large - options.small) * 1e6
    ratio = large_rss / small_rss
    print(f"marginal time per case: {marginal:.1f} µs (start-up left out)")
    print(f"peak RSS ratio {options.large:,} / {options.small:,} cases: {ratio:.3f}x "
          f"(target <= {RSS_TARGET}x) — {'OK' if ratio <= RSS_TARGET else 'OVER'}")
    return 0 if ratio <= RSS_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
