"""dos productivity: do recent steps still land work? (PRODUCTIVE / DIMINISHING / STALLED)"""

from __future__ import annotations

import argparse

from dos.commands._args import count
from dos.errors import UsageError
from dos.limits import MAX_COUNT, decimal_int

_EPILOG = """\
examples:
  dos productivity --deltas 800,600,300,40,12 --floor 100     # DIMINISHING (exit 3)
  dos productivity --deltas 5,5,0                              # STALLED (exit 4)

--min-steps and --floor default to dos.toml [productivity] (min_steps, floor).
Exit: 0 PRODUCTIVE, 3 DIMINISHING, 4 STALLED, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge a run's work-per-step history, oldest step first."
    parser.epilog = _EPILOG
    parser.add_argument("--deltas", default="", metavar="D1,D2,...",
                        help="work units landed per step, oldest first (e.g. lines changed "
                        "or commits per iteration)")
    parser.add_argument("--min-steps", type=count(), default=None, metavar="N",
                        help="steps of history needed before a fading rate is judged "
                        "(default: [productivity] min_steps, else 3)")
    parser.add_argument("--floor", type=count(), default=None, metavar="UNITS",
                        help="work units per step below which a step counts as low "
                        "(default: [productivity] floor, else 500)")


def parse_deltas(raw: str) -> tuple[int, ...]:
    """``"1, 2,3"`` → (1, 2, 3); an empty string is no steps."""
    if not raw.strip():
        return ()
    values = []
    for token in raw.split(","):
        value = decimal_int(token, -MAX_COUNT, MAX_COUNT)
        if value is None:
            raise UsageError(f"--deltas must be a comma list of integers from {-MAX_COUNT} "
                             f"to {MAX_COUNT} (work units per step, oldest first); "
                             f"got {raw[:80]!r}", hint="for example --deltas 800,600,300")
        values.append(value)
    return tuple(values)


def run(*, deltas: str, min_steps: int | None, floor: int | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import pacing
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    history = parse_deltas(deltas)
    config = load_config(workspace, driver)
    verdict = pacing.productivity(config, history, min_steps=min_steps, floor=floor)
    emit_verdict(verdict.verdict.value, verdict.reason, pacing.productivity_json(verdict), output)
    return verdict.verdict.exit_code
