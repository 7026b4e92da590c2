"""dos gate [PACKET | --picks-json JSON]: is an empty /next-up packet a real drain?"""

from __future__ import annotations

import argparse

from dos.commands._args import seconds

_EPILOG = """\
A disposition is {"phase": …, "live": bool, "drop_reason": "shipped"|"soft_claimed"|
"quota_blocked", "ship_via": …, "plan_doc_stamped": bool, …}. Booleans are JSON
booleans ("false" in quotes is an error) and a drop_reason outside those three is an
error: a typo must not read as DRAIN, the verdict that counts toward stopping.
PACKET is a .dispositions-<tag>.json sidecar; a .race-<tag>.json beside it younger than
--race-max-age means another picker was rendering (RACE); an older one is ignored.

examples:
  dos gate output/next-up/.dispositions-night.json
  dos gate --picks-json '[{"phase": "AUTH3", "drop_reason": "soft_claimed"}]' --explain

exit codes: 0 LIVE, 3 DRAIN, 4 STALE-STAMP, 5 BLOCKED, 6 RACE, 2 usage"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("packet", nargs="?", default=None, metavar="PACKET",
                        help="the packet's dispositions sidecar (a relative path resolves "
                             "against --workspace when given)")
    parser.add_argument("--picks-json", default=None, metavar="JSON",
                        help="the dispositions as a JSON array, instead of PACKET")
    parser.add_argument("--race-max-age", type=seconds(), default=600.0, metavar="SECONDS",
                        help="a race file older than this is stale and ignored (default 600)")
    parser.add_argument("--explain", action="store_true",
                        help="add a line saying what the verdict means for the loop")


def run(*, packet: str | None, picks_json: str | None, race_max_age: float, explain: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.admission.next_up_gate import interpretation
    from dos.api import picker_signals as api
    from dos.commands._temporal import emit_verdict
    from dos.config import user_path

    del driver  # the packet is judged alone
    path = None
    if packet is not None:
        path = user_path(packet)
        if not path.is_absolute() and workspace:
            path = user_path(workspace) / path
    picks = api.picks_from_json(picks_json) if picks_json is not None else None
    verdict = api.gate(packet=path, picks=picks, race_max_age_s=race_max_age)
    details = [f"  note: {note}" for note in verdict.notes]
    if explain:
        details.append(f"  means: {interpretation(verdict.token)}")
    emit_verdict(verdict.token.value, verdict.reason, api.gate_json(verdict, explain=explain),
                 output, details)
    return verdict.token.exit_code
