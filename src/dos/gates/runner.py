"""Run a witness command the way a referee must: an argument list (never a shell), its
own process group, a time limit, and only the tail of its output kept.

Exit 0 is PASSED and 1 FAILED (pytest's and unittest's convention for a failed
assertion); any other code, a signal, a time-out or a missing program is ERRORED.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dos.errors import UsageError
from dos.gates.witness import Outcome
from dos.shell_words import is_operator, tokens

__all__ = ["RunResult", "parse_argv", "run_command"]

_TAIL = 2000


@dataclass(frozen=True)
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
    started = time.monotonic()
    with tempfile.TemporaryFile() as sink:
        try:
            process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=sink,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            return RunResult(Outcome.ERRORED, None, 0, f"could not start {argv[0]!r}: "
                             f"{error.strerror}", "")
        try:
            exited = process.wait(timeout=timeout_s)
            code, detail = exited, _explain(exited)
        except subprocess.TimeoutExpired:
            _kill(process)
            code, detail = None, f"timed out after {timeout_s:g} s (process group killed)"
        elapsed = int((time.monotonic() - started) * 1000)
        return RunResult(_outcome(code), code, elapsed, detail, _tail(sink))


def _outcome(code: int | None) -> Outcome:
    return {0: Outcome.PASSED, 1: Outcome.FAILED}.get(code, Outcome.ERRORED) \
        if code is not None else Outcome.ERRORED


def _explain(code: int) -> str:
    if code < 0:
        return f"killed by signal {-code}"
    return {0: "exit 0 (passed)", 1: "exit 1 (failed)"}.get(code, f"exit {code} (errored)")


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _tail(sink: IO[bytes]) -> str:
    size = sink.seek(0, os.SEEK_END)
    sink.seek(max(0, size - _TAIL * 4))
    return sink.read().decode("utf-8", "replace")[-_TAIL:]
