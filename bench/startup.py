"""Start-up cost of the CLI against the bare interpreter (`python -c pass`), medians of
whole-process wall time in one run: `dos --version`, `dos exit-codes verify`, and the
short verbs an agent runs around every step — `verify`, `arbitrate`, `lease-lane
acquire` / `release`, `status` — in a small git repository with an SQLite store and,
given a PostgreSQL server, with the same dos.toml naming a PostgreSQL store. One line
(for reference, no target) imports only the standard-library modules those verbs stand on.

    python bench/startup.py [--runs N] [--postgres URL | --no-postgres] [--instructions]

--instructions also counts each command's instructions under valgrind (one run each),
a ratio that does not move with the machine's load; it counts the dos process alone,
not the git or PostgreSQL server processes it waits for, so wall time stays the verdict.

The PostgreSQL workspace uses a private schema at URL (default $DOS_TEST_POSTGRES_URL)
and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _timing import Case, dos_command, instructions, medians, report_ratio
from _workspaces import mint_run_id, pg_schema, small_repo

TARGET = 2.0  # verbs that touch neither the workspace nor the store
VERB_TARGET = 3.0
PG_TARGET = 4.0
# The modules every short verb still stands on: pathlib (the config's paths, and with it
# re, enum, functools, collections, urllib.parse and ipaddress) and the SQLite driver.
# What they cost to import alone is a floor no verb goes below as the code is laid out.
_FLOOR_MODULES = "pathlib, _sqlite3"
_FLOOR = "floor: import pathlib, _sqlite3"


def _verb_cases(dos: list[str], root: Path, label: str) -> dict[str, Case]:
    """The short verbs in ``root``; acquire and release alternate, so each succeeds."""
    cwd, run_id = str(root), mint_run_id(dos, root)
    owner = ["--owner", "bench-startup"]
    return {
        f"dos verify ({label})": Case([*dos, "verify", "AUTH", "AUTH1"], cwd=cwd),
        f"dos arbitrate ({label})": Case([*dos, "arbitrate", "--lane", "api"], cwd=cwd),
        f"dos lease-lane acquire ({label})": Case(
            [*dos, "lease-lane", "acquire", "--lane", "api", *owner], cwd=cwd),
        f"dos lease-lane release ({label})": Case(
            [*dos, "lease-lane", "release", "--lane", "api", *owner], cwd=cwd),
        f"dos status ({label})": Case(
            [*dos, "status", run_id, "--start-sha", "HEAD"], cwd=cwd),
    }


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="runs per command (>= 20)")
    parser.add_argument("--postgres", default=os.environ.get("DOS_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL server for the PostgreSQL-store cases")
    parser.add_argument("--no-postgres", action="store_true", help="skip those cases")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions under valgrind (deterministic)")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    runs, dos = max(20, args.runs), dos_command()
    url = "" if args.no_postgres else args.postgres
    with tempfile.TemporaryDirectory() as temp, pg_schema(url) as pg_url:
        lite = small_repo(Path(temp, "sqlite"), dos)
        cases = {
            "baseline": Case([sys.executable, "-c", "pass"], cwd=temp),
            "dos --version": Case([*dos, "--version"], cwd=temp),
            "dos exit-codes verify": Case([*dos, "exit-codes", "verify"], cwd=temp),
            _FLOOR: Case([sys.executable, "-c", f"import {_FLOOR_MODULES}"], cwd=temp),
            **_verb_cases(dos, lite, "sqlite"),
        }
        if pg_url:
            cases.update(_verb_cases(dos, small_repo(Path(temp, "pg"), dos, pg_url), "postgresql"))
        timed = medians(cases, runs)
        counted = {label: instructions(case) for label, case in cases.items()} \
            if args.instructions else {}
    baseline = timed.pop("baseline")
    print(f"baseline: python -c pass {baseline * 1000:.1f} ms (median of {runs}, "
          "commands interleaved)")
    ok = True
    for label, seconds in timed.items():
        target = None if label == _FLOOR else PG_TARGET if "postgresql" in label else (
            VERB_TARGET if "sqlite" in label else TARGET)
        ok &= report_ratio(label, seconds, baseline, target)
    if not pg_url:
        print("(no PostgreSQL cases: pass --postgres URL or set DOS_TEST_POSTGRES_URL)")
    if counted:
        _print_instructions(counted)
    return 0 if ok else 1


def _print_instructions(counted: dict[str, int]) -> None:
    base = counted.pop("baseline")
    print(f"\ninstructions (valgrind): python -c pass {base / 1e6:.1f} M")
    for label, count in counted.items():
        print(f"{label:<44} {count / 1e6:8.1f} M  {count / base:5.2f}x")


if __name__ == "__main__":
    sys.exit(main())
