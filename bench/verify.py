"""Benchmark `dos verify` and `dos plan` on a large generated repository.

Builds (once, cached in the temp dir by size) a linear repository with `git fast-import`
whose OLDEST commit stamps DEEP1, plus a plan document declaring 200 phases, then times
the installed CLI as a subprocess (median of several interleaved runs) against the floor
`git log --format=%s HEAD > /dev/null` measured in the same run.

    python bench/verify.py                 # 100,000 commits
    python bench/verify.py --commits 5000  # a quick run

Targets: verify ≤ 1.5x the floor; `dos plan --json` over 200 phases ≤ 3x one verify.
Then, in a copy with `.dos/` (so verify keeps its stamp index), bench/_verify_index.py:
cold and warm verify of the oldest commit and of an absent phase (warm ≤ 50 ms or
≤ 0.1x the floor, whichever is larger), 1,000 new commits after indexing (≤ 0.2x),
a rewritten history (≤ 1.5x) and the artifact rung (≤ 1.5x).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LAYOUT_VERSION = 2
PHASES = 200
_VERBS = ("fix", "add", "refactor", "update", "tune", "docs: clarify", "feat: implement",
          "test: cover", "chore: bump", "perf: speed up")


def _stamped(index: int, commits: int) -> int | None:
    """Which plan phase (1-based) commit ``index`` stamps, if any: every even phase."""
    step = max(1, commits // (PHASES + 1))
    phase = index // step
    if index % step == step // 2 and 1 <= phase <= PHASES and phase % 2 == 0:
        return phase
    return None


def _message(index: int, commits: int, rnd: random.Random) -> str:
    if index == 0:
        return "DEEP1: ship deep feature\n"
    phase = _stamped(index, commits)
    if phase is not None:
        return f"BENCH{phase}: implement part {phase}\n"
    subject = f"{rnd.choice(_VERBS)} part {index} of module m{index % 97}"
    body = f"\nWhy: change {index} keeps module m{index % 97} honest.\n" if index % 10 == 0 else ""
    return f"{subject}\n{body}"


def _stream(commits: int) -> Iterator[bytes]:
    rnd = random.Random(7)
    for index in range(commits):
        message = _message(index, commits, rnd).encode()
        data = f"v{index}\n".encode()
        path = f"src/d{index % 50}/f{index % 1000}.txt"
        parts = [b"commit refs/heads/main\n", f"mark :{index + 1}\n".encode(),
                 f"committer Bench <bench@example.invalid> {1_700_000_000 + index} +0000\n"
                 .encode(), f"data {len(message)}\n".encode(), message, b"\n"]
        if index:
            parts.append(f"from :{index}\n".encode())
        parts += [f"M 100644 inline {path}\ndata {len(data)}\n".encode(), data, b"\n"]
        yield b"".join(parts)


def _plan_doc() -> str:
    lines = ["id: BENCH", "", "# Bench plan", ""]
    for phase in range(1, PHASES + 1):
        claim = " SHIPPED" if phase % 3 == 0 else ""
        lines += [f"## {phase}. BENCH BENCH{phase} — part {phase}{claim}", "",
                  f"Implements part {phase} of the bench module.", ""]
    return "\n".join(lines)


def build_repo(commits: int) -> Path:
    """The cached repository for ``commits`` (built with git fast-import on first use)."""
    root = Path(tempfile.gettempdir()) / f"dos-bench-verify-{commits}-v{LAYOUT_VERSION}"
    if (root / ".bench-complete").is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root,
                                stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for chunk in _stream(commits):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "bench-plan.md").write_text(_plan_doc(), encoding="utf-8")
    (root / ".bench-complete").write_text("ok\n", encoding="utf-8")
    print(f"built {commits:,}-commit repository in {time.perf_counter() - started:.1f}s: {root}")
    return root


def _dos() -> list[str]:
    script = Path(sys.executable).with_name("dos")
    if script.is_file():
        return [str(script)]
    found = shutil.which("dos")
    return [found] if found else [sys.executable, "-m", "dos"]


def _env() -> dict[str, str]:
    """Bytecode cached as in a real install, kept out of the source tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dos-bench-pycache")
    return env


def _time(argv: list[str], cwd: Path, expect: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=_env(), check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}, expected {expect}: "
                         f"{done.stderr.decode(errors='replace')}")
    return elapsed


def _check_plan(dos: list[str], root: Path) -> None:
    out = subprocess.run([*dos, "plan", "--json"], cwd=root, capture_output=True, text=True,
                         env=_env(), check=True).stdout
    frame = json.loads(out)
    shipped = sum(p["oracle_shipped"] for p in frame["phases"])
    if len(frame["phases"]) != PHASES or shipped != PHASES // 2:
        raise SystemExit(f"dos plan saw {len(frame['phases'])} phases, {shipped} shipped; "
                         f"expected {PHASES}, {PHASES // 2}")


def measure(root: Path, runs: int) -> dict[str, list[float]]:
    """Seconds per run of each command, runs interleaved so load noise hits all alike."""
    dos = _dos()
    commands = {
        "floor: git log --format=%s HEAD": (["git", "log", "--format=%s", "HEAD"], 0),
        "dos verify DEEP DEEP1 (oldest commit)": ([*dos, "verify", "DEEP", "DEEP1"], 0),
        "dos verify ABSENT ABSENT1 (absent)": ([*dos, "verify", "ABSENT", "ABSENT1"], 1),
        f"dos plan --json ({PHASES} phases)": ([*dos, "plan", "--json"], 0),
        "dos exit-codes (start-up only)": ([*dos, "exit-codes"], 0),
    }
    _check_plan(dos, root)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):  # the first round warms caches and is dropped
        for name, (argv, expect) in commands.items():
            samples[name].append(_time(argv, root, expect))
    return {name: values[1:] for name, values in samples.items()}


def _ratios(times: dict[str, float]) -> list[tuple[str, float, float]]:
    floor, deep, absent, plan = (times[n] for n in list(times)[:4])
    return [("verify DEEP1 / floor", deep / floor, 1.5),
            ("verify ABSENT1 / floor", absent / floor, 1.5),
            (f"plan ({PHASES} phases) / one verify", plan / max(deep, absent), 3.0)]


def report(samples: dict[str, list[float]], commits: int, runs: int) -> bool:
    """Print medians (the targets) and minima (the least noisy estimate); True if met."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    minima = {name: min(values) for name, values in samples.items()}
    print(f"\n{commits:,} commits, {runs} runs each        median       min")
    for name in samples:
        print(f"  {name:<42} {medians[name] * 1000:6.0f} ms {minima[name] * 1000:6.0f} ms")
    print("\n  ratio (target)                        median    min")
    ok = True
    for (label, ratio, target), (_, low, _) in zip(_ratios(medians), _ratios(minima),
                                                    strict=True):
        ok = ok and ratio <= target
        print(f"  {label:<36} {ratio:5.2f}x  {low:5.2f}x   target <= {target}x   "
              f"{'ok' if ratio <= target else 'MISSED'}")
    return ok


def report_index(rows: list[tuple[str, float, float]], start_up: float) -> bool:
    """Print each index figure with its target, its ratio to the floor and the time
    beyond interpreter start-up; True if every target is met."""
    floor = rows[0][1]
    print("\n  stamp index (median)                       time   /floor  -start-up  target")
    ok = True
    for label, seconds, target in rows:
        verdict = ""
        if target:
            met = seconds <= target
            ok = ok and met
            verdict = f"<= {target * 1000:5.0f} ms  {'ok' if met else 'MISSED'}"
        print(f"  {label:<42} {seconds * 1000:6.0f} ms {seconds / floor:5.2f}x "
              f"{(seconds - start_up) * 1000:6.0f} ms  {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=100_000, help="history length")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--index-only", action="store_true",
                        help="only the stamp-index figures")
    args = parser.parse_args(argv)
    root = build_repo(args.commits)
    ok = args.index_only or report(measure(root, args.runs), args.commits, args.runs)
    from _verify_index import measure_index

    rows = measure_index(root, args.runs)
    return 0 if report_index(rows, rows[1][1]) and ok else 1


if __name__ == "__main__":
    sys.exit(main())
