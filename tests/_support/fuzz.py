"""Run `dos` in process on hostile input and check the contract every run must keep:
an exit code from the verb's documented set, no traceback, nothing written outside
the workspace."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType

from hypothesis import HealthCheck, settings
from tests._support.git import GitRepo

from dos import cli
from dos import config as dos_config

# Codes any verb may return whatever its verdicts: usage, store unreadable, store busy,
# interrupted, closed pipe, terminated. 70 (internal error) is never acceptable.
RESERVED = frozenset({2, 74, 75, 130, 141})
TIME_LIMIT_S = 20
# `fuzz-ci` (fixed seed, in .ci/run) unless DOS_FUZZ_PROFILE names another (`fuzz-long`).
PROFILE = os.environ.get("DOS_FUZZ_PROFILE", "fuzz-ci")
# Registered here, where every property test imports its settings from (tests/fuzz and the
# property tests of other directories alike), so one profile applies to them all.
_COMMON = {"deadline": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.filter_too_much]}
settings.register_profile("fuzz-ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("fuzz-long", max_examples=2_000, **_COMMON)
# What a store-path value in a fuzzed dos.toml may name outside the workspace, on purpose.
DECLARED_OUTSIDE = "store-outside"

DOS_TOML = """\
[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
autopick = ["src", "docs"]

[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**"]
"""


@dataclass
class Ran:
    code: int
    out: str
    err: str


@cache
def documented_codes() -> dict[str, frozenset[int]]:
    """Each verb's verdict codes, from `dos exit-codes --json` itself."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["exit-codes", "--json"]) == 0
    table = json.loads(out.getvalue())
    codes: dict[str, frozenset[int]] = {}
    for verb, verdicts in table.items():
        if isinstance(verdicts, dict):
            codes[verb] = frozenset(int(code) for code in verdicts.values()
                                    if isinstance(code, int))
    return codes


def allowed_codes(verb: str) -> frozenset[int]:
    return documented_codes().get(verb, frozenset({0, 1})) | RESERVED


def make_workspace(root: Path) -> GitRepo:
    repo = GitRepo(root)
    repo.commit("AUTH1: ship login", {"dos.toml": DOS_TOML, "src/app.py": "x = 1\n",
                                      "docs/a.md": "a\n"})
    return repo


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"dos did not answer within {TIME_LIMIT_S} s")


@contextmanager
def _time_limit() -> Iterator[None]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_dos(argv: Sequence[str], *, cwd: Path, stdin: bytes = b"") -> Ran:
    """`dos.cli.main(argv)` in process, in ``cwd``, with ``stdin`` as its input."""
    out, err = io.StringIO(), io.StringIO()
    saved_stdin, saved_cwd = sys.stdin, Path.cwd()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
    os.chdir(cwd)
    try:
        with _time_limit(), redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(list(argv))
            except SystemExit as stop:  # main must not raise it, but record it if it does
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.stdin, _ = saved_stdin, os.chdir(saved_cwd)
        dos_config.set_active(None)
    return Ran(code, out.getvalue(), err.getvalue())


def snapshot(path: Path) -> set[str]:
    """Every path below ``path`` (relative), to see what a run created."""
    return {str(item.relative_to(path)) for item in path.rglob("*")}


def check_contract(verb: str, ran: Ran, argv: Sequence[str]) -> None:
    shown = f"dos {' '.join(map(repr, argv))}\nexit {ran.code}\nstdout: {ran.out[-800:]}\n" \
            f"stderr: {ran.err[-1500:]}"
    assert ran.code != 70, "internal error:\n" + shown
    assert "Traceback (most recent call last)" not in ran.err, shown
    assert ran.code in allowed_codes(verb), f"undocumented exit code for {verb}:\n{shown}"
    if ran.code == 2:
        assert ran.err.strip(), "a usage error must say what is wrong:\n" + shown


def fuzz_settings(ci_examples: int, long_examples: int | None = None) -> settings:
    """The active profile with at most ``ci_examples`` examples under `fuzz-ci` (the whole
    directory keeps to its time budget in CI), and at most ``long_examples`` under another
    profile (for a test whose every example starts processes or rebuilds a store)."""
    active = settings.get_profile(PROFILE)
    cap = ci_examples if PROFILE == "fuzz-ci" else long_examples
    return settings(active, max_examples=min(cap, active.max_examples)) if cap else active


def outside(workspace: Path) -> set[str]:
    """What exists beside ``workspace`` (in its parent) and in the home directory: a run
    that changes this wrote outside the workspace. ``DECLARED_OUTSIDE`` is left out."""
    found = {name for name in snapshot(workspace.parent)
             if not name.startswith((workspace.name, DECLARED_OUTSIDE))}
    home = Path(os.environ["HOME"])
    return found | {f"~/{name}" for name in snapshot(home)} if home.is_dir() else found
