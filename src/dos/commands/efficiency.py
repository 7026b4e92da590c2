"""dos efficiency: did the spend buy work? (EFFICIENT / COSTLY / WASTEFUL)"""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos efficiency --work 0 --tokens 5000                         # WASTEFUL (exit 4)
  dos efficiency --work 3 --tokens 90000 --floor 0.0001         # COSTLY (exit 3)

Exit: 0 EFFICIENT, 3 COSTLY, 4 WASTEFUL, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge work units landed against tokens spent."
    parser.epilog = _EPILOG
    parser.add_argument("--work", type=int, default=0, metavar="UNITS",
                        help="work units landed (e.g. commits, lines, tests passing)")
    parser.add_argument("--tokens", type=int, default=0, metavar="N", help="tokens spent")
    parser.add_argument("--min-tokens", type=int, default=1000, metavar="N",
                        help="spend below which nothing is judged (default 1000)")
    parser.add_argument("--floor", type=float, default=0.0, metavar="RATIO",
                        help="least work per token that is efficient; 0 disables COSTLY "
                        "(default 0)")


def run(*, work: int, tokens: int, min_tokens: int, floor: float, output: str,
        **_: object) -> int:
    from dos.commands._temporal import emit_verdict
    from dos.temporal.efficiency import EfficiencyEvidence, EfficiencyPolicy, classify

    policy = EfficiencyPolicy(min_tokens=min_tokens, floor=floor)
    verdict = classify(EfficiencyEvidence(work=work, tokens=tokens), policy)
    emit_verdict(verdict.verdict.value, verdict.reason, verdict.to_dict(), output)
    return verdict.verdict.exit_code
