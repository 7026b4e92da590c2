"""dos breaker: stop retrying after repeated failures (CLOSED / OPEN)."""

from __future__ import annotations

import argparse

from dos.commands._args import count

_EPILOG = """\
examples:
  dos breaker --consecutive 3 --total 4                # OPEN on the consecutive limit
  dos breaker --consecutive 0 --total 25 --on-trip human

Limits not given as flags come from dos.toml [breaker] (max_consecutive, max_total,
on_trip). Exit: 0 CLOSED, 3 OPEN, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge failure counts against a circuit breaker's limits."
    parser.epilog = _EPILOG
    parser.add_argument("--consecutive", type=count(), default=0, metavar="N",
                        help="failures in a row since the last success")
    parser.add_argument("--total", type=count(), default=0, metavar="N",
                        help="failures overall (at least --consecutive)")
    parser.add_argument("--max-consecutive", type=count(), default=None, metavar="N",
                        help="open after this many failures in a row; 0 disables "
                        "(default: [breaker] max_consecutive, else 3)")
    parser.add_argument("--max-total", type=count(), default=None, metavar="N",
                        help="open after this many failures overall; 0 disables "
                        "(default: [breaker] max_total, else 20)")
    parser.add_argument("--on-trip", choices=("none", "judge", "human"), default=None,
                        help="who to escalate to when the breaker opens (default: "
                        "[breaker] on_trip, else none)")


def run(*, consecutive: int, total: int, max_consecutive: int | None, max_total: int | None,
        on_trip: str | None, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import pacing
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = pacing.breaker(config, consecutive=consecutive, total=total,
                             max_consecutive=max_consecutive, max_total=max_total,
                             on_trip=on_trip)
    emit_verdict(verdict.state.value, verdict.reason, pacing.breaker_json(verdict), output)
    return verdict.state.exit_code
