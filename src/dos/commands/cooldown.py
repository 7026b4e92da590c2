"""dos cooldown UNIT: was this unit attempted too recently to offer again?"""

from __future__ import annotations

import argparse
import json
from typing import Any

from dos.errors import UsageError

_EPILOG = """\
examples:
  dos cooldown AUTH2                       # from the ATTEMPT records in the store
  dos cooldown AUTH2 --attempts '[{"unit_id": "AUTH2", "outcome": "blocked",
                                   "attempted_at_ms": 1795000000000}]'

Windows come from dos.toml [cooldown] (window_ms or window_hours, error_window_ms or
error_window_minutes); a shipped attempt never holds a unit back.
Exit: 0 CLEAR, 3 RECENTLY_ATTEMPTED, 2 usage error, 74 the store cannot be read."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Judge whether a unit of work may be offered again."
    parser.epilog = _EPILOG
    parser.add_argument("unit", metavar="UNIT", help="the unit id (e.g. a plan phase)")
    parser.add_argument("--now-ms", type=int, default=None, metavar="MS",
                        help="judge at this epoch-ms time (default: the store's clock)")
    parser.add_argument("--attempts", default=None, metavar="JSON",
                        help="a JSON array of {unit_id, outcome, attempted_at_ms} to judge "
                        "instead of the store's ATTEMPT records")
    parser.add_argument("--window-ms", type=int, default=None, metavar="MS",
                        help="cooldown after a drained/blocked/unknown attempt "
                        "(default: [cooldown], else 6 h)")
    parser.add_argument("--error-window-ms", type=int, default=None, metavar="MS",
                        help="cooldown after an errored attempt (default: [cooldown], "
                        "else 30 min)")


def _attempt(index: int, item: Any, unit: str) -> Any:
    from dos.temporal.cooldown import Attempt

    if not isinstance(item, dict):
        raise UsageError(f"--attempts[{index}] must be a JSON object",
                         hint='give each attempt as {"unit_id": …, "outcome": …, '
                              '"attempted_at_ms": …}')
    at = item.get("attempted_at_ms")
    if isinstance(at, bool) or not isinstance(at, int):
        raise UsageError(f"--attempts[{index}] needs an integer attempted_at_ms",
                         hint="epoch milliseconds, e.g. 1795000000000")
    return Attempt(str(item.get("unit_id", unit)), str(item.get("outcome", "")), at)


def parse_attempts(raw: str, unit: str) -> list[Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--attempts is not valid JSON ({exc})",
                         hint="quote the JSON array in single quotes") from None
    if not isinstance(data, list):
        raise UsageError("--attempts must be a JSON array", hint="wrap the attempts in [ ]")
    return [_attempt(index, item, unit) for index, item in enumerate(data)]


def stored_attempts(config: Any) -> list[Any]:
    """ATTEMPT records from the store; the record's store time when it names none."""
    from dos.store import reading
    from dos.temporal.cooldown import Attempt
    from dos.temporal.evidence import iter_records

    with reading(config) as tx:
        if tx is None:
            return []
        attempts = []
        for record in iter_records(tx, op="ATTEMPT"):
            at = record.payload.get("attempted_at_ms")
            at = at if isinstance(at, int) and not isinstance(at, bool) else record.ts_ms
            attempts.append(Attempt(str(record.payload.get("unit_id", "")),
                                    str(record.payload.get("outcome", "")), at))
        return attempts


def run(*, unit: str, now_ms: int | None, attempts: str | None, window_ms: int | None,
        error_window_ms: int | None, workspace: str | None, driver: str | None, output: str,
        **_: object) -> int:
    import dataclasses

    from dos.commands._temporal import emit_verdict, resolve_now
    from dos.temporal.cooldown import CooldownPolicy, classify
    from dos.workspace import load_config

    if not unit.strip():
        raise UsageError("UNIT is empty", hint="name the unit, e.g. `dos cooldown AUTH2`")
    config = load_config(workspace, driver)
    policy = CooldownPolicy.from_table(config.table("cooldown"))
    changes = {key: value for key, value in (("window_ms", window_ms),
                                             ("error_window_ms", error_window_ms))
               if value is not None}
    policy = dataclasses.replace(policy, **changes)
    found = parse_attempts(attempts, unit) if attempts is not None else stored_attempts(config)
    verdict = classify(unit.strip(), found, resolve_now(config, now_ms), policy)
    emit_verdict(verdict.state.value, verdict.reason, verdict.to_dict(), output)
    return verdict.state.exit_code
