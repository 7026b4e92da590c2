"""dos coverage --declared N: did every declared fan-out worker come back with a result?"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

from dos.errors import UsageError
from dos.render import dumps
from dos.truth.coverage import CoverageVerdict, fold
from dos.truth.verify_result import classify_transcript

_EPILOG = """\
Give the declared width and either the transcripts (harness-grounded) or the
states the caller saw (caller-asserted), never both.

examples:
  dos coverage --declared 4 --transcripts-glob 'runs/r7/*.jsonl'
  dos coverage --declared 3 --states HEALTHY,HEALTHY,SYNTHETIC

exit codes: 0 full, 3 underfilled / starved / overfilled, 2 usage error
"""
_VALID = ("HEALTHY", "SYNTHETIC", "EMPTY", "UNREADABLE")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--declared", type=int, metavar="N",
                        help="how many workers were fanned out (required, at least 1; never "
                             "inferred from the input)")
    parser.add_argument("--transcript", action="append", default=[], metavar="PATH",
                        help="a worker transcript (repeatable)")
    parser.add_argument("--transcripts-glob", metavar="GLOB",
                        help="transcripts matching this glob (** recurses)")
    parser.add_argument("--states", metavar="S1,S2,…",
                        help="caller-asserted terminal states: HEALTHY, SYNTHETIC, EMPTY, "
                             "UNREADABLE")
    parser.add_argument("--min-quorum", type=float, metavar="F",
                        help="report whether healthy/declared >= F (the verdict is unchanged)")
    parser.epilog = _EPILOG


def _asserted(states: str) -> list[tuple[str, str]]:
    tokens = [t.strip().upper() for t in states.split(",") if t.strip()]
    for token in tokens:
        if token not in _VALID:
            raise UsageError(f"'{token}' is not a terminal state",
                             hint=f"use a comma list of {', '.join(_VALID)}")
    return [(t, "OTHER") for t in tokens]


def _paths(transcript: list[str], pattern: str | None) -> list[Path]:
    found = [Path(p) for p in transcript]
    if pattern:
        # glob.glob, not Path.glob: the pattern may be absolute
        found += [Path(p) for p in sorted(glob.glob(pattern, recursive=True))]  # noqa: PTH207
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # a worker is counted once, however named
    return list(unique.values())


def _text(verdict: CoverageVerdict) -> str:
    asserted = "" if verdict.grounded else " [caller-asserted]"
    return (f"{verdict.state} {verdict.healthy}/{verdict.declared} healthy ({verdict.dead} dead, "
            f"{verdict.unaccounted} unaccounted){asserted} — {verdict.reason}")


def run(*, declared: int | None, transcript: list[str], transcripts_glob: str | None,
        states: str | None, min_quorum: float | None, output: str, **_: object) -> int:
    if declared is None or declared < 1:
        raise UsageError("--declared N is required and must be at least 1",
                         hint="pass the fan-out width you dispatched, e.g. --declared 4")
    paths = _paths(transcript, transcripts_glob)
    if states is not None and (paths or transcript or transcripts_glob):
        raise UsageError("--states and transcripts were both given",
                         hint="pass transcripts (harness-grounded) or --states, not both")
    if states is not None:
        pairs, grounded = _asserted(states), False
    else:
        verdicts = [classify_transcript(p) for p in paths]
        pairs, grounded = [(v.state, v.error_class) for v in verdicts], True
    if not pairs:
        raise UsageError("nothing to fold", hint="pass --transcript PATH / --transcripts-glob "
                         "GLOB (harness-grounded), or --states HEALTHY,SYNTHETIC,… "
                         "(caller-asserted)")
    verdict = fold(pairs, declared, grounded=grounded, min_quorum=min_quorum)
    print(dumps(verdict.to_dict()) if output == "json" else _text(verdict))
    return verdict.token.exit_code
