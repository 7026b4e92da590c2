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

__all__ = ["bench_env", "dos_command", "median_wall", "report_ratio"]

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


def median_wall(argv: Sequence[str], runs: int, *, cwd: str | None = None,
                env: dict[str, str] | None = None, stdin: bytes | None = None,
                expect: Sequence[int] = (0,)) -> float:
    """Median wall-clock seconds of ``runs`` runs of ``argv`` (after one warm-up)."""
    full_env = bench_env(env)
    samples = []
    for index in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(list(argv), cwd=cwd, env=full_env, input=stdin,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode not in expect:
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: "
                             f"{done.stderr.decode(errors='replace')}")
        if index:  # the first run warms the page cache and .pyc files
            samples.append(elapsed)
    return statistics.median(samples)


def report_ratio(label: str, seconds: float, baseline: float, target: float) -> bool:
    """Print one line; True when the ratio meets the target."""
    ratio = seconds / baseline
    verdict = "OK" if ratio <= target else "OVER TARGET"
    print(f"{label:<44} {seconds * 1000:8.1f} ms  {ratio:5.2f}x  (target <= {target}x) {verdict}")
    return ratio <= target
