"""Run a witness command the way a referee must: an argument list (never a shell), its
own process group, a time limit, and only the tail of its output kept.

Exit 0 is PASSED and 1 FAILED (pytest's and unittest's convention for a failed
assertion); any other code, a signal, a time-out or a missing program is ERRORED.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dos.errors import UsageError
from dos.gates.witness import Outcome
from dos.processes import run_bounded
from dos.shell_words import is_operator, tokens
from dos.structs import struct

__all__ = ["RunResult", "parse_argv", "run_command"]


@struct
class RunResult:
    outcome: Outcome
    exit_code: int | None
    duration_ms: int
    detail: str
    output_tail: str

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value, "exit_code": self.exit_code,
                "duration_ms": self.duration_ms, "detail": self.detail,
                "output_tail": self.output_tail}


def parse_argv(command: str, flag: str) -> list[str]:
    """``command`` split into words as a shell would quote them; shell operators are
    refused, because no shell will run it."""
    try:
        words = tokens(command)
    except ValueError:
        raise UsageError(f"{flag} {command!r} has an unclosed quote",
                         hint="close the quote; the command is split into words, not run "
                         "by a shell") from None
    operators = [word for word in words if is_operator(word)]
    if operators:
        raise UsageError(f"{flag} {command!r} uses the shell operator {operators[0]!r}, and "
                         "dos runs it without a shell", hint="run one program (put pipes "
                         "or lists in a script and run the script)")
    if not words:
        raise UsageError(f"{flag} is empty", hint=f"pass {flag} \"pytest -q tests/test_x.py\"")
    return words


def run_command(argv: list[str], cwd: Path, timeout_s: float) -> RunResult:
    """Run ``argv`` in ``cwd``; the whole process group is killed at ``timeout_s``."""
    ended = run_bounded(argv, cwd, timeout_s)
    code = ended.code
    outcome = Outcome.ERRORED if code is None else {0: Outcome.PASSED, 1: Outcome.FAILED}.get(
        code, Outcome.ERRORED)
    detail = ended.detail + {Outcome.PASSED: " (passed)", Outcome.FAILED: " (failed)"}.get(
        outcome, "" if code is None or code < 0 else " (errored)")
    return RunResult(outcome, code, ended.elapsed_ms, detail, ended.tail)
