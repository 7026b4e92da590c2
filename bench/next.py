"""What `dos next` costs on a 500-unit plan, and how that grows with the attempt history.

Two workspaces alike but for their history: 1,000 and 10,000 ATTEMPT records (seeded in
one transaction each), over the same 500-unit plan with 100 units shipped in git. Median
wall time of `dos next --dry-run` (the ranking, nothing taken) and of `dos next` by a
worker that already holds its unit (the whole pick, renewing that lease), and the ratio
of the larger history to the smaller (target <= 2.0x for 10x the attempts).

    python bench/next.py [--runs N] [--units N] [--attempts N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import Case, dos_command, medians, report_ratio

GROWTH_TARGET = 2.0
_DOS_TOML = """\
[lanes]
concurrent = ["src", "docs"]
autopick = ["src"]

[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
"""


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@example.invalid", *args],
                   cwd=root, check=True, stdout=subprocess.DEVNULL)


def _workspace(root: Path, units: int, attempts: int) -> None:
    """The plan, 100 shipped units, and ``attempts`` ATTEMPT records over all units."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from dos.config import load_workspace_config
    from dos.store import writing
    from dos.store.journal import JournalEntry

    root.mkdir()
    _git(root, "init", "-q")
    (root / "dos.toml").write_text(_DOS_TOML, encoding="utf-8")
    (root / "docs").mkdir()
    plan = "id: BIG\n" + "".join(f"## BIG{n} — part {n}\n" for n in range(1, units + 1))
    (root / "docs" / "big-plan.md").write_text(plan, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "plan")
    for n in range(1, min(units, 100) + 1):
        (root / "src").mkdir(exist_ok=True)
        (root / "src" / f"u{n}.py").write_text(f"{n}\n", encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"BIG{n}: part {n}")
    with writing(load_workspace_config(root)) as tx:
        now = tx.now_ms()
        old = now - 30 * 86_400_000  # outside every cooldown window
        entries = [JournalEntry("ATTEMPT", lane="src", payload={
            "unit_id": f"BIG{1 + index % units}", "outcome": "blocked",
            "attempted_at_ms": old + index}) for index in range(attempts)]
        tx.append_many(entries, ts_ms=now)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=10_000)
    options = parser.parse_args()
    dos = dos_command()
    small = max(1, options.attempts // 10)
    with tempfile.TemporaryDirectory() as scratch:
        roots = {count: Path(scratch).resolve() / f"ws{count}"
                 for count in (small, options.attempts)}
        for count, root in roots.items():
            _workspace(root, options.units, count)
            subprocess.run([*dos, "--workspace", str(root), "next", "--owner", "bench"],
                           check=True, stdout=subprocess.DEVNULL)
        cases = {}
        for count, root in roots.items():
            base = [*dos, "--workspace", str(root), "next", "--owner", "bench"]
            cases[f"dry-run, {count:,} attempts"] = Case([*base, "--dry-run"])
            cases[f"pick (renew), {count:,} attempts"] = Case(base)
        cases["dos --version (start-up)"] = Case([*dos, "--version"])
        timing = medians(cases, options.runs)
    print(f"dos next on a {options.units}-unit plan (100 shipped), median of "
          f"{options.runs} runs:")
    ok = True
    report_ratio("dos --version (start-up)", timing["dos --version (start-up)"],
                 timing["dos --version (start-up)"], None)
    for kind in ("dry-run", "pick (renew)"):
        base = timing[f"{kind}, {small:,} attempts"]
        report_ratio(f"{kind}, {small:,} attempts", base, base, None)
        ok &= report_ratio(f"{kind}, {options.attempts:,} attempts",
                           timing[f"{kind}, {options.attempts:,} attempts"], base,
                           GROWTH_TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
