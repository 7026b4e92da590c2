"""Every process dos starts that is not git: a witness command (argument list, its own
process group, a time limit, only the tail of its output kept), the worker that searches
a caller's regexes, and the host ``dos guard`` becomes. Never a shell."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, NoReturn

from dos.structs import struct

__all__ = ["Finished", "Piped", "become", "run_bounded", "run_piped", "start_worker", "stop"]

_TAIL = 2000


@struct
class Finished:
    """How a bounded run ended: ``code`` is None when it could not start or timed out."""

    code: int | None
    detail: str
    elapsed_ms: int
    tail: str


def run_bounded(argv: list[str], cwd: Path, timeout_s: float) -> Finished:
    """Run ``argv`` in ``cwd``; its whole process group is killed at ``timeout_s``."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as sink:
        try:
            process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=sink,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as error:
            return Finished(None, f"could not start {argv[0]!r}: {error.strerror}", 0, "")
        try:
            code: int | None = process.wait(timeout=timeout_s)
            detail = f"killed by signal {-code}" if code is not None and code < 0 else \
                f"exit {code}"
        except subprocess.TimeoutExpired:
            stop(process)
            code, detail = None, f"timed out after {timeout_s:g} s (process group killed)"
        elapsed = int((time.monotonic() - started) * 1000)
        return Finished(code, detail, elapsed, _tail(sink))


@struct
class Piped:
    """A piped run's end: ``code`` None when it could not start or timed out;
    ``output`` is None when stdout went over the bound (nothing of it is trusted)."""

    code: int | None
    detail: str
    output: bytes | None


def run_piped(argv: list[str], data: bytes, *, timeout_s: float,
              max_output: int, cwd: Path | None = None) -> Piped:
    """Run ``argv`` with ``data`` on stdin and keep its stdout (at most ``max_output``
    bytes); stderr is dropped, the whole process group is killed at ``timeout_s``."""
    with tempfile.TemporaryFile() as sink:
        try:
            process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=sink,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            return Piped(None, f"could not start {argv[0]!r}: {error.strerror}", None)
        try:
            process.communicate(data, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            stop(process)
            return Piped(None, f"timed out after {timeout_s:g} s (process group killed)", None)
        sink.seek(0)
        output = sink.read(max_output + 1)
        code = process.returncode
        detail = f"killed by signal {-code}" if code < 0 else f"exit {code}"
        if len(output) > max_output:
            return Piped(code, f"wrote more than {max_output} bytes", None)
        return Piped(code, detail, output)


def _tail(sink: IO[bytes]) -> str:
    size = sink.seek(0, os.SEEK_END)
    sink.seek(max(0, size - _TAIL * 4))
    return sink.read().decode("utf-8", "replace")[-_TAIL:]


def start_worker(argv: list[str]) -> subprocess.Popen[bytes]:
    """A helper process in its own group, spoken to through stdin and stdout."""
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the process's whole group (if it still runs) and reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def become(argv: list[str], env: Mapping[str, str] | None = None) -> NoReturn:
    """Replace this process with ``argv`` (an argument list, looked up on PATH), with
    ``env`` added to this process's environment."""
    if env:
        os.execvpe(argv[0], argv, {**os.environ, **env})  # noqa: S606 - no shell
    os.execvp(argv[0], argv)  # noqa: S606 - an argument list, no shell
