"""What every ``*-eval`` verb shares: the common flags and the report's closing lines."""

from __future__ import annotations

import argparse
from typing import Any

from dos.commands._args import number

__all__ = ["EXIT_NOTE", "add_common", "closing"]

EXIT_NOTE = ("Exit: 0 MEETS_BAR, 1 BELOW_BAR (the dangerous cell failed, or the headline "
             "is under --min-rate), 2 usage error (a bad case line names path:line).")


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cases", required=True, metavar="FILE.jsonl",
                        help="the labelled cases, one JSON object a line (# comments)")
    parser.add_argument("--min-rate", type=number(0.0, 1.0, what="a rate"), default=None,
                        metavar="R", help="also exit 1 when the headline rate is below R")


def closing(payload: dict[str, Any], headline: str) -> list[str]:
    """The verdict line, the bar, and the wrong cases (the first 20, then a count)."""
    bar, misses = payload["bar"], payload["misses"]
    floor = "" if bar["min_rate"] is None else \
        f"  {headline} {bar['headline']:.3f} vs --min-rate {bar['min_rate']:.3f}"
    lines = [f"VERDICT        {payload['verdict']}{floor}"]
    if misses["count"]:
        lines.append(f"WRONG          {misses['count']} case(s)")
        lines += [f"  {row['where']}  {row['kind']}" + (f"  ({row['label']})"
                                                       if row["label"] else "")
                  for row in misses["shown"]]
        hidden = misses["count"] - len(misses["shown"])
        lines += [f"  … and {hidden} more"] if hidden > 0 else []
    return lines
