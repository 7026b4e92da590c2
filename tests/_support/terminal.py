"""Run ``dos`` on a real pseudo-terminal (100x30), answer what it draws, collect its output."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TerminalRun:
    code: int
    output: str


def run_on_terminal(argv: Sequence[str], *, keys: Sequence[tuple[str, bytes]] = (),
                    prelude: str = "", keys_from_terminal: bool = True,
                    timeout: float = 30.0) -> TerminalRun:
    """``python -c "<prelude>; dos main(argv)"`` with a pty as stdout and stderr, and as
    stdin unless ``keys_from_terminal`` is false (then stdin is /dev/null). Each
    ``(text, key)`` in ``keys`` is typed once ``text`` has appeared on the screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    code = f"{prelude}\nimport sys\nfrom dos.cli import main\nsys.exit(main({list(argv)!r}))"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    stdin = slave if keys_from_terminal else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=stdin, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen, pending, deadline = b"", list(keys), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen += os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
            if pending and pending[0][0].encode() in seen:
                os.write(master, pending.pop(0)[1])
            if proc.poll() is not None and not select.select([master], [], [], 0.1)[0]:
                break
        returncode = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return TerminalRun(returncode, seen.decode("utf-8", errors="replace"))
