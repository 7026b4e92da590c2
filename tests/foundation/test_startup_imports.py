"""The short verbs an agent runs around every step (`verify`, `arbitrate`, `lease-lane
acquire` / `release`, `status`) import only what they use: each runs in a fresh
interpreter through the console entry, and the modules it loaded are checked against
the ones it has no use for. Start-up time itself is measured by bench/startup.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo

_DOS_TOML = """\
[lanes]
concurrent = ["api", "ui"]
exclusive = ["global"]

[lanes.trees]
api = ["src/api/**"]
ui = ["src/ui/**"]
global = ["**/*"]
"""

# Paid by every verb unless kept off the path: shutil (with bz2, lzma) for git's lookup
# and argparse's width, the json package for a flat head file, the TOML parser for a
# dos.toml it has parsed before (remembered in .dos/), the PostgreSQL client, typing for
# annotations and JSON shapes only type checkers read, dataclasses (with inspect) for value
# types, argparse (with gettext) for a plain command line (dos.commands._quick_args), the
# sqlite3 package (with datetime) over its driver _sqlite3, glob for plans found by pathlib,
# subprocess (with threading, selectors, locale) for git, which dos.git.spawn runs, and
# the math extension for one finiteness test (dos.limits.is_finite), and ipaddress, which
# urllib.parse imports as it loads (deferred in the dos process: dos.deferred_url_parsing),
# and contextlib.
_ANY_VERB = frozenset(("shutil", "bz2", "lzma", "json", "secrets", "tomllib", "psycopg",
                       "psycopg_pool", "typing", "dataclasses", "inspect", "argparse",
                       "gettext", "sqlite3", "datetime", "glob", "subprocess", "threading",
                       "selectors", "math", "ipaddress", "contextlib"))
_WRITE_MACHINERY = frozenset((
    "dos.admission.lane_lease", "dos.admission.lease_ops", "dos.admission.lease_intent",
    "dos.store.journal", "dos.store.protocol", "dos.store.attempts", "dos.store.intents"))
_OTHER_TRUTH = frozenset((
    "dos.truth.commit_audit", "dos.truth.plan_board", "dos.truth.coverage",
    "dos.truth.verify_result", "dos.truth.near_miss", "dos.truth.file_classes"))

# name -> (argv after `dos`, modules it must not load)
_VERBS: dict[str, tuple[list[str], frozenset[str]]] = {
    "verify": (["verify", "AUTH", "AUTH1"], _ANY_VERB | _OTHER_TRUTH | _WRITE_MACHINERY),
    "arbitrate": (["arbitrate", "--lane", "api"], _ANY_VERB | _WRITE_MACHINERY),
    "acquire": (["lease-lane", "acquire", "--lane", "api", "--owner", "s1"], _ANY_VERB),
    "release": (["lease-lane", "release", "--lane", "api", "--owner", "s1"],
                _ANY_VERB | {"dos.api.attempts", "dos.store.attempts"}),  # no --outcome
    "status": (["status", "{run_id}", "--start-sha", "HEAD"],
               _ANY_VERB | {"dos.store.protocol", "dos.store.attempts", "dos.store.intents"}),
}

# The console script's own entry, then the modules the verb loaded (after its output).
_PROBE = """\
import sys
before = set(sys.modules)
from dos.cli import main
code = main()
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(set(sys.modules) - before)) + "\\n")
sys.exit(code)
"""


def _probe(root: Path, argv: list[str]) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=root, check=False,
                          capture_output=True, text=True, env=dict(os.environ))
    head, _, modules = done.stderr.rpartition("\nMODULES ")
    assert done.returncode == 0, done.stderr
    assert head == "", head
    return set(modules.split())


@pytest.fixture
def workspace(git_repo: Callable[..., GitRepo]) -> Path:
    repo = git_repo()
    repo.commit("AUTH1: ship the login form", {"dos.toml": _DOS_TOML})
    for step in ("acquire", "release"):  # the store exists, as in a working fleet
        _probe(repo.path, ["lease-lane", step, "--lane", "api", "--owner", "setup"])
    return repo.path


def _run_id(root: Path) -> str:
    return _probe_stdout(root, ["run-id", "mint", "test"]).split()[0]


def _probe_stdout(root: Path, argv: list[str]) -> str:
    done = subprocess.run([sys.executable, "-m", "dos", *argv], cwd=root, check=True,
                          capture_output=True, text=True)
    return done.stdout


@pytest.mark.parametrize("verb", list(_VERBS))
def test_a_short_verb_loads_nothing_it_does_not_use(workspace: Path, verb: str) -> None:
    argv, unused = _VERBS[verb]
    argv = [_run_id(workspace) if arg == "{run_id}" else arg for arg in argv]
    if verb == "release":
        _probe(workspace, ["lease-lane", "acquire", "--lane", "api", "--owner", "s1"])
    modules = _probe(workspace, argv)
    assert sorted(modules & unused) == []
    assert "dos.config" in modules  # the probe saw the verb's imports at all


def test_lease_lane_builds_only_the_sub_command_it_runs() -> None:
    from dos.cli import _add_arguments, _verb_parser
    from dos.commands import lease_lane

    parser = _verb_parser("lease-lane")
    _add_arguments(lease_lane, parser, ["acquire", "--lane", "api"])
    choices = next(action.choices for action in parser._actions
                   if action.dest == "action")
    assert list(choices) == ["acquire"]
    full = _verb_parser("lease-lane")
    _add_arguments(lease_lane, full, ["--json", "live"])  # not first: everything is built
    assert list(next(a.choices for a in full._actions if a.dest == "action")) == list(
        lease_lane.SUBCOMMANDS)


def test_git_is_found_as_shutil_finds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from dos.git import _which

    plain, folder, runnable = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for path in (plain, folder, runnable):
        path.mkdir()
    (plain / "git").write_text("not executable\n", encoding="utf-8")
    (folder / "git").mkdir()  # a directory named git, executable bit and all
    (runnable / "git").write_text("#!/bin/sh\n", encoding="utf-8")
    (runnable / "git").chmod(0o755)
    for path in (f"{plain}:{folder}:{runnable}", f"{plain}:{folder}", "", os.defpath):
        monkeypatch.setenv("PATH", path)
        assert _which("git") == shutil.which("git")
    monkeypatch.delenv("PATH")
    assert _which("git") == shutil.which("git")


@pytest.mark.parametrize("columns", ["50", "", "x", "-3"])
def test_help_wraps_at_the_width_argparse_would_choose(
        columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse
    import shutil

    from dos.cli import _columns

    monkeypatch.setenv("COLUMNS", columns)
    assert _columns() == shutil.get_terminal_size().columns
    wide = argparse.RawDescriptionHelpFormatter("dos")
    assert _columns() - 2 == wide._width


def test_a_run_that_has_not_moved_costs_one_git_call(workspace: Path, tmp_path: Path) -> None:
    """`status --start-sha HEAD`: HEAD is resolved once, and a start that is the tip has
    no commits after it (no merge-base, no log)."""
    real, log = shutil.which("git"), tmp_path / "git.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    run_id = _run_id(workspace)
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run([sys.executable, "-m", "dos", "--json", "status", run_id,
                           "--start-sha", "HEAD"], cwd=workspace, env=env, check=False,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"verified_count": 0' in done.stdout
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len(calls) == 1, calls
    assert "rev-parse" in calls[0]
