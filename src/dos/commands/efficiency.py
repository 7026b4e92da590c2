"""dos efficiency: did the spend buy work? (EFFICIENT / COSTLY / WASTEFUL)"""

from __future__ import annotations

import argparse

from dos.commands._args import count, number
from dos.limits import MAX_COUNT

_EPILOG = """\
examples:
  dos efficiency --work 0 --tokens 5000                         # WASTEFUL (exit 4)
  dos efficiency --work 3 --tokens 90000 --floor 0.0001         # COSTLY (exit 3)

--min-tokens and --floor default to dos.toml [efficiency] (min_tokens, floor).
Exit: 0 EFFICIENT, 3 COSTLY, 4 WASTEFUL, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge work units landed against tokens spent."
    parser.epilog = _EPILOG
    parser.add_argument("--work", type=count(), default=0, metavar="UNITS",
                        help="work units landed (e.g. commits, lines, tests passing)")
    parser.add_argument("--tokens", type=count(), default=0, metavar="N", help="tokens spent")
    parser.add_argument("--min-tokens", type=count(), default=None, metavar="N",
                        help="spend below which nothing is judged (default: [efficiency] "
                        "min_tokens, else 1000)")
    parser.add_argument("--floor", type=number(0, MAX_COUNT), default=None, metavar="RATIO",
                        help="least work per token that is efficient; 0 disables COSTLY "
                        "(default: [efficiency] floor, else 0)")


def run(*, work: int, tokens: int, min_tokens: int | None, floor: float | None,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import pacing
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = pacing.efficiency(config, work=work, tokens=tokens, min_tokens=min_tokens,
                                floor=floor)
    emit_verdict(verdict.verdict.value, verdict.reason, pacing.efficiency_json(verdict), output)
    return verdict.verdict.exit_code
