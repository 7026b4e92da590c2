"""Run an acceptance command as a witness: an argument list (a shell only when asked),
in the workspace, with no input, a time limit, and its output digested, never kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from dos.errors import UsageError
from dos.structs import struct

__all__ = ["MAX_OUTPUT_BYTES", "CommandRun", "run_command", "shell_argv"]

MAX_OUTPUT_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
# The witness must not be handed the key that signs its receipt.
_HIDDEN_ENV = ("DOS_ATTEST_KEY",)


@struct
class CommandRun:
    """What the command did: ``exit_code`` is None when dos had to stop it."""

    exit_code: int | None
    timed_out: bool
    output_sha256: str
    output_bytes: int
    output_truncated: bool


def shell_argv(command: str) -> list[str]:
    """The argument list that runs ``command`` through the POSIX shell."""
    return ["/bin/sh", "-c", command]


def _start(argv: Sequence[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = {name: value for name, value in os.environ.items() if name not in _HIDDEN_ENV}
    try:
        return subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own group: stopped as a whole
    except OSError as exc:
        raise UsageError(f"cannot run {argv[0]!r}: {exc.strerror}",
                         hint="name a program on PATH or by its path; pass --shell to run "
                              "a shell command line") from None


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _drain(process: subprocess.Popen[bytes], deadline: float,
           limit: int) -> tuple[str, int, str]:
    """Read the output to its end: (digest, bytes, "" or why it was cut short)."""
    digest, seen = hashlib.sha256(), 0
    assert process.stdout is not None  # noqa: S101 - Popen was given stdout=PIPE
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return digest.hexdigest(), seen, "timeout"
            chunk = os.read(process.stdout.fileno(), _CHUNK)
            if not chunk:
                return digest.hexdigest(), seen, ""
            take = chunk[:max(limit - seen, 0)]
            digest.update(take)
            seen += len(take)
            if len(take) < len(chunk):
                return digest.hexdigest(), seen, "truncated"


def run_command(argv: Sequence[str], *, cwd: Path, timeout_s: int,
                max_output: int = MAX_OUTPUT_BYTES) -> CommandRun:
    """Run ``argv`` in ``cwd``; stop its whole process group at the time limit or the
    output bound (and on any interruption of dos itself)."""
    deadline = time.monotonic() + timeout_s
    process = _start(argv, cwd)
    try:
        sha, size, cut = _drain(process, deadline, max_output)
        if not cut:
            try:
                process.wait(max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                cut = "timeout"  # it closed its output but kept running
    finally:
        if process.returncode is None:
            _stop(process)
        if process.stdout is not None:
            process.stdout.close()
    code = None if cut else process.returncode
    return CommandRun(code, cut == "timeout", sha, size, cut == "truncated")
