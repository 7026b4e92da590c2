"""dos exit-codes [VERB]: the exit-code contract of every verb (verdicts and acts)."""

from __future__ import annotations

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
    from dos.errors import RESERVED_EXITS

    lines.append("every verb, whatever its verdicts")
    for name, code in sorted(RESERVED_EXITS.items(), key=lambda item: item[1]):
        lines.append(f"  {code:<3} {name}")
    return "\n".join(lines)


def fast_main(argv: Sequence[str], options: Mapping[str, object]) -> int | None:
    """``dos exit-codes [VERB] [--json]`` without argparse; None hands over to it."""
    words = [arg for arg in argv if arg != "--json"]
    if len(words) > 1 or any(word.startswith("-") for word in words):
        return None
    output = "json" if "--json" in argv else str(options.get("output") or "text")
    return run(verb=words[0] if words else None, output=output)


def run(*, verb: str | None, output: str, workspace: str | None = None,
        driver: str | None = None) -> int:
    del workspace, driver  # the contract is the package's, the same in every workspace
    from dos.api import exit_codes as api
    from dos.render import emit

    table = api.exit_codes(verb)
    emit(api.exit_codes_json(table), output=output, text=lambda _color: _text(table))
    return 0
