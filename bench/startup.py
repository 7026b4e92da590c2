"""Start-up cost of the CLI: `dos --version` and `dos exit-codes verify` against the
bare interpreter (`python -c pass`), medians of whole-process wall time in one run.

    python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile

from _timing import Case, dos_command, medians, report_ratio

TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="runs per command (>= 20)")
    runs = max(20, parser.parse_args().runs)
    dos = dos_command()
    with tempfile.TemporaryDirectory() as cwd:
        timed = medians({
            "baseline": Case([sys.executable, "-c", "pass"], cwd=cwd),
            "dos --version": Case([*dos, "--version"], cwd=cwd),
            "dos exit-codes verify": Case([*dos, "exit-codes", "verify"], cwd=cwd),
        }, runs)
    baseline = timed.pop("baseline")
    print(f"baseline: python -c pass {baseline * 1000:.1f} ms (median of {runs}, "
          "commands interleaved)")
    ok = True
    for label, seconds in timed.items():
        ok &= report_ratio(label, seconds, baseline, TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
