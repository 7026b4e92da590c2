"""dos scope-gate: are the touched files inside the lane's tree? (ALLOW / REFUSE)"""

from __future__ import annotations

import argparse

from dos.admission.scope import ScopeVerdict
from dos.commands._output import PRETTY_HELP, answer
from dos.render import paint

_EPILOG = """\
examples:
  dos scope-gate --lane src                    # working tree + index + untracked vs HEAD
  dos scope-gate --lane src --staged           # only what is staged
  dos scope-gate --lane src --base main        # the commits main..HEAD
  dos scope-gate --lane src --file src/a.py --file docs/b.md

Exit: 0 ALLOW (IN_SCOPE), 5 SCOPE_CREEP, 6 WRONG_TARGET, 2 usage or git error (a lane
dos.toml does not declare too)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Check that every touched file lies inside the lane's tree."
    parser.epilog = _EPILOG
    parser.add_argument("--lane", default="", help="the lane (or alias) whose tree bounds "
                        "the writes (required)")
    parser.add_argument("--file", action="append", default=[], metavar="PATH",
                        help="a touched file (repeatable); replaces asking git")
    parser.add_argument("--staged", action="store_true",
                        help="judge only the staged changes (index vs HEAD)")
    parser.add_argument("--base", default=None, metavar="REF",
                        help="judge the commits BASE..HEAD instead of the working tree")
    parser.add_argument("--head", default=None, metavar="REF",
                        help="the end of the range with --base (default: HEAD)")
    parser.add_argument("--pretty", action="store_true", help=PRETTY_HELP)


def _text(verdict: ScopeVerdict, color: bool) -> str:
    if verdict.allowed:
        return f"{paint('ALLOW', 'bold', 'green', enabled=color)}: write ALLOWED — {verdict.reason}"
    return (f"{paint('REFUSE', 'bold', 'red', enabled=color)}: write REFUSED "
            f"({verdict.verdict.value}) — {verdict.reason}")


def run(*, lane: str, file: list[str], staged: bool, base: str | None, head: str | None,
        pretty: bool, workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import scope as api
    from dos.workspace import load_config

    api.check_lane(lane)
    config = load_config(workspace, driver)
    verdict = api.scope_gate(config, lane=lane, files=file, staged=staged, base=base, head=head)
    answer(api.scope_json(verdict), output=output, pretty=pretty,
           text=lambda color: _text(verdict, color))
    return verdict.exit_code
