"""The caller's regular expressions, each searched under a time budget.

Python's ``re`` cannot be interrupted, so a catastrophic pattern (``(a+)+$``) runs in
a worker process that is killed when a pattern outlives its budget; the remaining
patterns go to a fresh worker. Patterns are compiled here first, so a malformed one is
a usage error, never a silent skip.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import sys
import time
from collections.abc import Sequence

from dos.errors import UsageError
from dos.gates.answer_shape import MATCH, NO_MATCH, TIMEOUT
from dos.processes import start_worker, stop

__all__ = ["FLAGS", "MAX_PATTERNS", "MAX_PATTERN_CHARS", "check_patterns", "search_all",
           "search_timed"]

FLAGS = re.IGNORECASE | re.MULTILINE
MAX_PATTERNS = 32
MAX_PATTERN_CHARS = 1000
_WORKER = """\
import json, re, sys
data = json.loads(sys.stdin.buffer.read())
out = sys.stdout
out.write("ready\\n"); out.flush()
for pattern in data["patterns"]:
    out.write(("1" if re.search(pattern, data["text"], data["flags"]) else "0") + "\\n")
    out.flush()
"""


def check_patterns(patterns: Sequence[str], flag: str) -> None:
    """Refuse too many, too long or malformed patterns (exit 2)."""
    if len(patterns) > MAX_PATTERNS:
        raise UsageError(f"{len(patterns)} {flag} patterns (at most {MAX_PATTERNS})",
                         hint=f"pass at most {MAX_PATTERNS} {flag} patterns")
    for pattern in patterns:
        if len(pattern) > MAX_PATTERN_CHARS:
            raise UsageError(f"a {flag} pattern is {len(pattern)} characters (at most "
                             f"{MAX_PATTERN_CHARS})", hint="shorten the pattern")
        try:
            re.compile(pattern, FLAGS)
        except (re.error, RecursionError, OverflowError) as error:
            raise UsageError(f"{flag} {pattern!r} is not a valid regular expression ({error})",
                             hint="fix the pattern (Python re syntax); give one pattern "
                             f"per {flag}") from None


def search_all(patterns: Sequence[str], text: str, budget_s: float) -> dict[str, str]:
    """Pattern → ``match`` / ``no-match`` / ``timeout``, each pattern given ``budget_s``."""
    return {pattern: found for pattern, (found, _) in search_timed(patterns, text,
                                                                   budget_s).items()}


def search_timed(patterns: Sequence[str], text: str, budget_s: float
                 ) -> dict[str, tuple[str, float]]:
    """Pattern → (result, seconds it took), the time counted from when the worker was
    ready for it (its start-up is not the pattern's time) to its answer or its timeout."""
    results: dict[str, tuple[str, float]] = {}
    pending = list(dict.fromkeys(patterns))
    while pending:
        answered = _worker(pending, text, budget_s)
        results.update(zip(pending, answered, strict=False))
        pending = pending[len(answered):]
    return results


def _worker(patterns: list[str], text: str, budget_s: float) -> list[tuple[str, float]]:
    """Answers in order; one pattern that outlives its budget is the last (a timeout)."""
    process = start_worker([sys.executable, "-I", "-S", "-c", _WORKER])
    if process.stdin is None or process.stdout is None:  # both were asked for as pipes
        raise UsageError("the pattern worker has no pipes", hint="retry")
    answers: list[tuple[str, float]] = []
    try:
        process.stdin.write(json.dumps({"patterns": patterns, "text": text,
                                        "flags": int(FLAGS)}).encode("utf-8"))
        process.stdin.close()
        lines = _Lines(process.stdout.fileno())
        if lines.next(30.0) != "ready":  # the interpreter's start is not the pattern's time
            raise UsageError("the pattern worker did not start", hint="retry")
        for _ in patterns:
            began = time.monotonic()
            line = lines.next(budget_s)
            if line is None:
                answers.append((TIMEOUT, time.monotonic() - began))
                break
            answers.append((MATCH if line == "1" else NO_MATCH, time.monotonic() - began))
        return answers
    finally:
        stop(process)


class _Lines:
    """Lines from a pipe, each waited for at most a given time."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buffer = fd, b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(fd, selectors.EVENT_READ)

    def next(self, timeout: float) -> str | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(self.fd, 4096)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("ascii", "replace")
