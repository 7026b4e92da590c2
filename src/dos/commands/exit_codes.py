"""dos exit-codes [VERB]: the verdict → exit-code contract of every verdict verb."""

from __future__ import annotations

import argparse

from dos import exitcodes
from dos.errors import UsageError
from dos.render import emit_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("verb", nargs="?", help="show only this verb's codes")


def _text(table: dict[str, dict[str, int]]) -> str:
    lines = ["The exit code IS the verdict. A shell/CI step branches on it directly.", ""]
    for verb, codes in table.items():
        width = max(len(token) for token in codes)
        lines.append(f"dos {verb}")
        for token, code in sorted(codes.items(), key=lambda item: (item[1], item[0])):
            lines.append(f"  {code}  {token:<{width}}")
        lines.append("")
    return "\n".join(lines)


def run(*, verb: str | None, output: str, **_: object) -> int:
    if verb is not None and verb not in exitcodes.VERDICT_SOURCES:
        known = ", ".join(sorted(exitcodes.VERDICT_SOURCES))
        raise UsageError(f"'{verb}' is not a verdict-bearing verb", hint=f"known: {known}")
    table = {verb: exitcodes.contract(verb)} if verb else exitcodes.table()
    if output == "json":
        emit_json(table)
    else:
        print(_text(table), end="")
    return 0
