"""Start-up cost of the CLI: `dos --version` and `dos exit-codes verify` against the
bare interpreter (`python -c pass`), medians of whole-process wall time in one run.

    python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile

from _timing import dos_command, median_wall, report_ratio

TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="runs per command (>= 20)")
    runs = max(20, parser.parse_args().runs)
    dos = dos_command()
    with tempfile.TemporaryDirectory() as cwd:
        baseline = median_wall([sys.executable, "-c", "pass"], runs, cwd=cwd)
        version = median_wall([*dos, "--version"], runs, cwd=cwd)
        codes = median_wall([*dos, "exit-codes", "verify"], runs, cwd=cwd)
    print(f"baseline: python -c pass {baseline * 1000:.1f} ms (median of {runs})")
    ok = report_ratio("dos --version", version, baseline, TARGET)
    ok &= report_ratio("dos exit-codes verify", codes, baseline, TARGET)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
