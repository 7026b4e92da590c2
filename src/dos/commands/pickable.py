"""dos pickable [UNIT] --state JSON: may this unit be offered to a worker now?"""

from __future__ import annotations

import argparse

from dos.commands._args import epoch_ms

_EPILOG = """\
--state keys (JSON booleans unless noted; absent = false; any other key is an error):
  shipped unparseable in_flight soft_claimed_elsewhere stale_claim operator_gated
  soak_open dependency_unmet, plan_class (a string; DRAFT holds), cooldown_until_ms
  (epoch ms). "false" in quotes is an error, not true.

With a UNIT, its own recorded attempts are read from the store: a unit attempted too
recently is held (COOLDOWN) even when --state says nothing about it.

examples:
  dos pickable AUTH2
  dos pickable AUTH2 --state '{"in_flight": false, "plan_class": "draft"}' --json

exit codes: 0 OFFERABLE; held whatever worker asks: 10 DRAFT_CLASS, 11 OPERATOR_GATED,
12 SOAK_OPEN, 13 DEPENDENCY_UNMET; held for now: 20 IN_FLIGHT, 21 SOFT_CLAIMED_ELSEWHERE,
22 STALE_CLAIM, 23 COOLDOWN, 24 UNPARSEABLE, 25 SHIPPED; 2 usage, 74 store unreadable"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("unit", nargs="?", default=None, metavar="UNIT",
                        help="the unit (its recorded attempts decide COOLDOWN)")
    parser.add_argument("--state", default=None, metavar="JSON",
                        help="the facts the host gathered, as a JSON object")
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="judge at this time (default: the store's clock)")


def run(*, unit: str | None, state: str | None, now_ms: int | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import picker as api
    from dos.render import emit
    from dos.workspace import load_config

    facts = api.pick_state(state)  # a malformed --state is refused before anything is read
    config = load_config(workspace, driver)
    verdict = api.pickable(config, unit=unit, state=facts, now_ms=now_ms)

    def text(_color: bool) -> str:
        if not verdict.held:
            return f"OFFERABLE  {verdict.evidence}"
        fixed = " (re-dispatch-invariant)" if verdict.token.redispatch_invariant else ""
        return f"HELD({verdict.token.value}){fixed}  {verdict.evidence}"

    emit(api.pickable_json(verdict), output=output, text=text)
    return verdict.token.exit_code
