"""dos coverage --declared N: did every declared fan-out worker come back with a result?"""

from __future__ import annotations

import argparse

from dos.api import truth as api
from dos.commands._args import count, number
from dos.config import user_path
from dos.render import emit
from dos.truth.coverage import CoverageVerdict

_EPILOG = """\
Give the declared width and either the transcripts (harness-grounded) or the
states the caller saw (caller-asserted), never both.

examples:
  dos coverage --declared 4 --transcripts-glob 'runs/r7/*.jsonl'
  dos coverage --declared 3 --states HEALTHY,HEALTHY,SYNTHETIC

exit codes: 0 full, 3 underfilled / starved / overfilled, 2 usage error
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--declared", type=count(1), metavar="N",
                        help="how many workers were fanned out (required, at least 1; never "
                             "inferred from the input)")
    parser.add_argument("--transcript", action="append", default=[], metavar="PATH",
                        help="a worker transcript (repeatable); relative paths resolve "
                             "against --workspace when given, else the current directory")
    parser.add_argument("--transcripts-glob", metavar="GLOB",
                        help="transcripts matching this glob (** recurses; relative to "
                             "--workspace when given)")
    parser.add_argument("--states", metavar="S1,S2,…",
                        help="caller-asserted terminal states: HEALTHY, SYNTHETIC, EMPTY, "
                             "UNREADABLE")
    parser.add_argument("--min-quorum", type=number(0, 1, what="a fraction"), metavar="F",
                        help="report whether healthy/declared >= F (the verdict is unchanged)")
    parser.epilog = _EPILOG


def _text(verdict: CoverageVerdict) -> str:
    asserted = "" if verdict.grounded else " [caller-asserted]"
    return (f"{verdict.state} {verdict.healthy}/{verdict.declared} healthy ({verdict.dead} dead, "
            f"{verdict.unaccounted} unaccounted){asserted} — {verdict.reason}")


def run(*, declared: int | None, transcript: list[str], transcripts_glob: str | None,
        states: str | None, min_quorum: float | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    del driver  # transcripts are judged alone: no workspace policy applies to them
    verdict = api.coverage(declared=declared, transcripts=transcript,
                           transcripts_glob=transcripts_glob, states=states,
                           min_quorum=min_quorum,
                           base=user_path(workspace) if workspace else None)
    emit(api.coverage_json(verdict), output=output, text=lambda _color: _text(verdict))
    return verdict.token.exit_code
