"""dos breaker: stop retrying after repeated failures (CLOSED / OPEN)."""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos breaker --consecutive 3 --total 4                # OPEN on the consecutive limit
  dos breaker --consecutive 0 --total 25 --on-trip human

Exit: 0 CLOSED, 3 OPEN, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge failure counts against a circuit breaker's limits."
    parser.epilog = _EPILOG
    parser.add_argument("--consecutive", type=int, default=0, metavar="N",
                        help="failures in a row since the last success")
    parser.add_argument("--total", type=int, default=0, metavar="N",
                        help="failures overall (at least --consecutive)")
    parser.add_argument("--max-consecutive", type=int, default=3, metavar="N",
                        help="open after this many failures in a row; 0 disables (default 3)")
    parser.add_argument("--max-total", type=int, default=20, metavar="N",
                        help="open after this many failures overall; 0 disables (default 20)")
    parser.add_argument("--on-trip", choices=("none", "judge", "human"), default="none",
                        help="who to escalate to when the breaker opens (default none)")


def run(*, consecutive: int, total: int, max_consecutive: int, max_total: int, on_trip: str,
        output: str, **_: object) -> int:
    from dos.commands._temporal import emit_verdict
    from dos.temporal.breaker import BreakerPolicy, Escalation, FailureCounts, classify

    policy = BreakerPolicy(max_consecutive=max_consecutive, max_total=max_total,
                           on_trip=Escalation(on_trip.upper()))
    verdict = classify(FailureCounts(consecutive=consecutive, total=total), policy)
    emit_verdict(verdict.state.value, verdict.reason, verdict.to_dict(), output)
    return verdict.state.exit_code
