"""dos judge wedge RUN: does a run's "nothing to do" hold up against the records?"""

from __future__ import annotations

import argparse

_EPILOG = """\
RUN is a run id (RID-…) that `dos next --run-id RUN` answered DRAINED or HELD for; its
newest answer is read from the store's verdict journal (never from a path). The cause
the picker named is checked against the store and the plan documents:
  ALL_SHIPPED → TRUE_DRAIN   the named plans, unchanged since, have no unit left at HEAD
  NO_UNITS    → EMPTY_PLAN   the named plans, unchanged since, still declare no unit
  ALL_LEASED  → STALE_CLAIM  another worker held a unit lease at that moment
  ALL_COOLING → COOLDOWN     some unit was still cooling down after an attempt
  ALL_HELD    → HELD         either of the two
  LANE_BUSY   → LANE_BUSY    another worker held a live lease
Any other cause is UNCLASSIFIED and abstains; a check that cannot be made abstains.
A PICKED answer is LIVE: nothing to audit.

examples:
  dos judge wedge RID-1M8HSC4V72JNYG0
  dos observe --syscall next --by run_id        the runs on record

exit codes: 0 AGREES or ABSTAINS, 1 DISAGREES (a provable picker bug), 2 usage or a run
with no recorded answer, 74 store unreadable"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("section", choices=("wedge",), help="what to audit (wedge)")
    parser.add_argument("run", metavar="RUN", help="the run id to audit")


def run(*, section: str, run: str, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import wedge as api
    from dos.render import emit
    from dos.workspace import load_config

    del section  # one section so far
    config = load_config(workspace, driver)
    audit = api.audit_wedge(config, run)
    emit(api.wedge_json(audit), output=output, text=lambda _color: api.wedge_text(audit))
    return audit.verdict.token.exit_code
