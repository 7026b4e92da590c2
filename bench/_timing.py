"""Shared timing helpers for the benchmarks: medians of whole-process wall time."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["Case", "bench_env", "dos_command", "medians", "report_ratio"]

# An installed package has its bytecode compiled; this environment may forbid writing
# it (PYTHONDONTWRITEBYTECODE), which would time the compiler, not dos. Cache it aside.
_PYCACHE = Path(tempfile.gettempdir()) / "dos-bench-pycache"


def bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment benchmarked processes run in: bytecode cached, as when installed."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(_PYCACHE)
    env.update(extra or {})
    return env


def dos_command() -> list[str]:
    """The installed ``dos`` console script beside this interpreter (else on PATH)."""
    beside = Path(sys.executable).with_name("dos")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("dos")
    if found is None:
        raise SystemExit("dos is not installed: run `python3 -m pip install -e .` first")
    return [found]


class Case:
    """One command to time: its argv, and what it runs with."""

    __slots__ = ("argv", "cwd", "env", "expect", "stdin")

    def __init__(self, argv: Sequence[str], *, cwd: str | None = None,
                 env: dict[str, str] | None = None, stdin: bytes | None = None,
                 expect: Sequence[int] = (0,)) -> None:
        self.argv, self.cwd, self.env = list(argv), cwd, env
        self.stdin, self.expect = stdin, tuple(expect)


def _once(case: Case) -> float:
    start = time.perf_counter()
    done = subprocess.run(case.argv, cwd=case.cwd, env=bench_env(case.env), input=case.stdin,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in case.expect:
        raise SystemExit(f"{' '.join(case.argv)} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


def medians(cases: dict[str, Case], runs: int) -> dict[str, float]:
    """Median seconds per case, the cases run in turn within each round so that a
    change in the machine's load falls on all of them alike (after one warm-up round)."""
    samples: dict[str, list[float]] = {label: [] for label in cases}
    for index in range(runs + 1):
        for label, case in cases.items():
            elapsed = _once(case)
            if index:
                samples[label].append(elapsed)
    return {label: statistics.median(values) for label, values in samples.items()}


def instructions(case: Case) -> int:
    """Instructions the process ran (``valgrind --tool=callgrind``, one run after a
    warm-up): deterministic where wall time wobbles with the machine's load. Counts the
    process alone — not the git or PostgreSQL processes it waits for."""
    _once(case)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *case.argv], cwd=case.cwd, env=bench_env(case.env),
                          input=case.stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    for line in done.stderr.decode(errors="replace").splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    raise SystemExit(f"valgrind gave no count for {' '.join(case.argv)}: "
                     f"{done.stderr.decode(errors='replace')[-400:]}")


def report_ratio(label: str, seconds: float, baseline: float, target: float | None) -> bool:
    """Print one line; True when the ratio meets the target (``None``: shown only)."""
    ratio = seconds / baseline
    if target is None:
        print(f"{label:<44} {seconds * 1000:8.1f} ms  {ratio:5.2f}x  (for reference)")
        return True
    verdict = "OK" if ratio <= target else "OVER TARGET"
    print(f"{label:<44} {seconds * 1000:8.1f} ms  {ratio:5.2f}x  (target <= {target}x) {verdict}")
    return ratio <= target
