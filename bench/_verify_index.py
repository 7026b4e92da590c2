"""The stamp-index part of bench/verify.py: cold and warm verify, 1,000 new commits after
indexing, a rewritten history and the artifact rung, each against the `git log` floor.

Runs in a copy of the cached repository (with `.dos/`, so the index is kept) because it
moves `main`: the extra commits are written once with `git fast-import` on side refs, and
each timed run points `main` at one of them from an index freshly brought back to the base.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _timing import bench_env, dos_command

__all__ = ["measure_index"]

_ART_PLAN = """id: ART

## 1. ART ART1 — touch two files

Changes `src/d3/f3.txt` and `src/d7/f7.txt` together.
"""


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout.strip()


def _append(root: Path, ref: str, base: str, count: int, first_time: int) -> str:
    """``count`` new commits on ``ref`` starting from ``base``; returns the new tip."""
    chunks = []
    for i in range(count):
        message = f"extra {ref} commit {i}\n".encode()
        data = f"{ref} {i}\n".encode()
        chunks.append(b"".join([
            f"commit {ref}\nmark :{i + 1}\n".encode(),
            f"committer Bench <bench@example.invalid> {first_time + i} +0000\n".encode(),
            f"data {len(message)}\n".encode(), message, b"\n",
            (f"from {base}\n" if i == 0 else f"from :{i}\n").encode(),
            f"M 100644 inline extra/{i % 20}.txt\ndata {len(data)}\n".encode(), data, b"\n"]))
    subprocess.run(["git", "fast-import", "--quiet", "--force"], cwd=root, check=True,
                   input=b"".join(chunks))
    return _git(root, "rev-parse", ref)


def _prepare(source: Path) -> tuple[Path, dict[str, str]]:
    root = source.with_name(source.name + "-index")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root, symlinks=True)
    (root / ".dos").mkdir(exist_ok=True)
    (root / "docs" / "art-plan.md").write_text(_ART_PLAN, encoding="utf-8")
    base = _git(root, "rev-parse", "main")
    last = int(_git(root, "log", "-1", "--format=%ct", "main"))
    tips = {"base": base,
            "plus1000": _append(root, "refs/bench/plus1000", base, 1000, last + 1),
            "rewrite": _append(root, "refs/bench/rewrite", _git(root, "rev-parse", "main~50"),
                               50, last + 1)}
    return root, tips


def _timed(argv: list[str], root: Path, expect: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=bench_env(), check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}, expected {expect}: "
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


_IN_PROCESS = """
import statistics, sys, time
from dos import config
from dos.api.truth import verify
workspace = config.load_workspace_config(sys.argv[1])
verify(workspace, plan=sys.argv[2], phase=sys.argv[3])
times = []
for _ in range(int(sys.argv[4])):
    started = time.perf_counter()
    verify(workspace, plan=sys.argv[2], phase=sys.argv[3])
    times.append(time.perf_counter() - started)
print(statistics.median(times))
"""


def _in_process(root: Path, plan: str, phase: str, runs: int) -> float:
    """The median of ``runs`` warm verifies inside one process: the index's own cost,
    without interpreter start-up and imports."""
    done = subprocess.run([sys.executable, "-c", _IN_PROCESS, str(root), plan, phase,
                           str(runs)], cwd=root, check=True, capture_output=True, text=True,
                          env=bench_env())
    return float(done.stdout.strip())


def _median(runs: int, once: Callable[[], float]) -> float:
    return statistics.median(once() for _ in range(runs))


def measure_index(source: Path, runs: int) -> list[tuple[str, float, float]]:
    """``(label, seconds, target seconds)`` for each index figure."""
    root, tips = _prepare(source)
    dos = dos_command()
    index = root / ".dos" / "stamp-index.sqlite"
    deep, absent = [*dos, "verify", "DEEP", "DEEP1"], [*dos, "verify", "ABSENT", "ABSENT1"]

    def at(tip: str) -> None:  # main at ``tip`` and the index brought to it, untimed
        _git(root, "update-ref", "refs/heads/main", tips[tip])
        _timed(absent, root, 1)

    def cold() -> float:
        index.unlink(missing_ok=True)
        return _timed(deep, root, 0)

    def moved(tip: str) -> float:
        at("base")
        _git(root, "update-ref", "refs/heads/main", tips[tip])
        return _timed(absent, root, 1)

    floor = _median(runs, lambda: _timed(["git", "log", "--format=%s", "HEAD"], root, 0))
    start_up = _median(runs, lambda: _timed([*dos, "exit-codes"], root, 0))
    rows = [("floor: git log --format=%s HEAD", floor, 0.0),
            ("dos exit-codes (start-up only)", start_up, 0.0),
            ("verify --no-index DEEP1 (full scan)", _median(runs, lambda: _timed(
                [*deep, "--no-index"], root, 0)), 1.5 * floor),
            ("verify DEEP1, cold (builds the index)", _median(runs, cold), 0.0)]
    at("base")
    warm = max(0.05, 0.1 * floor)
    rows += [("verify DEEP1, warm (oldest commit)", _median(runs, lambda: _timed(
                deep, root, 0)), warm),
             ("verify ABSENT1, warm (absent phase)", _median(runs, lambda: _timed(
                 absent, root, 1)), warm),
             ("verify DEEP1, warm, in process (api)", _in_process(
                 root, "DEEP", "DEEP1", runs), warm),
             ("verify ABSENT1, warm, in process (api)", _in_process(
                 root, "ABSENT", "ABSENT1", runs), warm),
             ("verify after 1,000 new commits", _median(runs, lambda: moved("plus1000")),
              0.2 * floor),
             ("verify after a rewrite (50 replaced)", _median(runs, lambda: moved("rewrite")),
              1.5 * floor)]
    at("base")
    art = [*dos, "verify", "ART", "ART1"]
    first = _timed(art, root, 1)
    rows += [("artifact rung, first (writes commit-graph)", first, 0.0),
             ("artifact rung (changed-path filters)", _median(runs, lambda: _timed(
                 art, root, 1)), 1.5 * floor)]
    return rows
