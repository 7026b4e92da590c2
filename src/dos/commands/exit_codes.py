"""dos exit-codes [VERB]: the verdict → exit-code contract of every verdict verb."""

from __future__ import annotations

from dos import exitcodes
from dos.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence


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


def fast_main(argv: Sequence[str], options: Mapping[str, object]) -> int | None:
    """``dos exit-codes [VERB] [--json]`` without argparse; None hands over to it."""
    words = [arg for arg in argv if arg != "--json"]
    if len(words) > 1 or any(word.startswith("-") for word in words):
        return None
    output = "json" if "--json" in argv else str(options.get("output") or "text")
    return run(verb=words[0] if words else None, output=output)


def run(*, verb: str | None, output: str, **_: object) -> int:
    if verb is not None and verb not in exitcodes.VERDICT_SOURCES:
        known = ", ".join(sorted(exitcodes.VERDICT_SOURCES))
        raise UsageError(f"'{verb}' is not a verdict-bearing verb", hint=f"known: {known}")
    table = {verb: exitcodes.contract(verb)} if verb else exitcodes.table()
    if output == "json":
        from dos.render import emit_json

        emit_json(table)
    else:
        print(_text(table), end="")
    return 0
