"""dos cooldown UNIT: was this unit attempted too recently to offer again?"""

from __future__ import annotations

import argparse

from dos.commands._args import duration_ms, epoch_ms
from dos.errors import UsageError

_EPILOG = """\
examples:
  dos cooldown AUTH2                       # from the attempts in the store
  dos cooldown AUTH2 --attempts '[{"unit_id": "AUTH2", "outcome": "blocked",
                                   "attempted_at_ms": 1795000000000}]'

Attempts are recorded by `dos attempt record` (or `lease-lane release --outcome`) and
survive journal compaction. --attempts also takes a journal dump: rows of other ops are
skipped, and a ts in any ISO-8601 form counts. Windows come from dos.toml [cooldown]
(window_ms or window_hours, error_window_ms or error_window_minutes; errored and
abandoned attempts wait the error window); a shipped attempt never holds a unit back.
Exit: 0 CLEAR, 3 RECENTLY_ATTEMPTED, 2 usage error, 74 the store cannot be read."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge whether a unit of work may be offered again."
    parser.epilog = _EPILOG
    parser.add_argument("unit", metavar="UNIT", help="the unit id (e.g. a plan phase)")
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="judge at this epoch-ms time (default: the store's clock)")
    parser.add_argument("--attempts", default=None, metavar="JSON",
                        help="a JSON array of {unit_id, outcome, attempted_at_ms or ts} to "
                        "judge instead of the store's attempts")
    parser.add_argument("--window-ms", type=duration_ms(), default=None, metavar="MS",
                        help="cooldown after a drained/blocked/unknown attempt "
                        "(default: [cooldown], else 6 h)")
    parser.add_argument("--error-window-ms", type=duration_ms(), default=None, metavar="MS",
                        help="cooldown after an errored or abandoned attempt (default: "
                        "[cooldown], else 30 min)")


def run(*, unit: str, now_ms: int | None, attempts: str | None, window_ms: int | None,
        error_window_ms: int | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import pacing
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    if not unit.strip():
        raise UsageError("UNIT is empty", hint="name the unit, e.g. `dos cooldown AUTH2`")
    given = pacing.attempts_from_json(attempts, unit) if attempts is not None else None
    config = load_config(workspace, driver)
    verdict = pacing.cooldown(config, unit, now_ms=now_ms, attempts=given, window_ms=window_ms,
                              error_window_ms=error_window_ms)
    emit_verdict(verdict.state.value, verdict.reason, pacing.cooldown_json(verdict), output)
    return verdict.state.exit_code
