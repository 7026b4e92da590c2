"""Item 15: a signal is never a verdict. Ctrl-C in a `--watch` loop exits 130 and SIGTERM
exits 143 — real processes, real signals — so a script cannot read a stopped watchdog as
a clean run."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests._support.fuzz import make_workspace

from dos.errors import EXIT_INTERRUPTED, EXIT_TERMINATED

LOOPS = [["watch", "--watch", "--interval", "0.2", "--discover"],
         ["loop", "--watch", "--interval", "0.2"]]


def _started(workspace: Path, argv: list[str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(workspace),
                             "--json", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # one tick printed: the loop is running, handlers are set
    assert first.startswith(b"{"), (first, proc.stderr.read() if proc.stderr else b"")
    time.sleep(0.3)
    return proc


def _stopped(proc: subprocess.Popen[bytes], sig: int) -> tuple[int, str]:
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    return proc.returncode, err.decode()


STOPS = [(signal.SIGINT, EXIT_INTERRUPTED, "dos: interrupted"),
         (signal.SIGTERM, EXIT_TERMINATED, "dos: terminated")]


@pytest.mark.parametrize("argv", LOOPS, ids=lambda argv: argv[0])
@pytest.mark.parametrize(("sig", "code", "said"), STOPS, ids=["ctrl-c-130", "sigterm-143"])
def test_a_signal_in_a_watch_loop_exits_with_its_reserved_code(
        tmp_path: Path, argv: list[str], sig: int, code: int, said: str) -> None:
    make_workspace(tmp_path)
    got, err = _stopped(_started(tmp_path, argv), sig)
    assert got == code
    assert said in err
    assert "Traceback" not in err


def test_the_reserved_codes_are_the_shells() -> None:
    assert (EXIT_INTERRUPTED, EXIT_TERMINATED) == (128 + signal.SIGINT, 128 + signal.SIGTERM)
