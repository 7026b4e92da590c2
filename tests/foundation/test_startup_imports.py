"""The short verbs an agent runs around every step (`verify`, `arbitrate`, `lease-lane
acquire` / `release`, `status`) import only what they use: each runs in a fresh
interpreter through the console entry, and the modules it loaded are checked against
the ones it has no use for, the enum classes it built (each costs start-up time) against
the ones it decides with. Start-up time itself is measured by bench/startup.py."""

from __future__ import annotations

import importlib
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
# What pathlib imports and only verify uses (its stamp patterns): deferred by the dos
# process (dos.deferred_imports), loaded by none of the other short verbs; nor is enum
# (the verdict families are built without it: dos.verdicts._token_class), which only
# re imports.
_DEFERRED = frozenset(("re", "urllib.parse", "ntpath", "ipaddress", "enum"))
_WRITE_MACHINERY = frozenset((
    "dos.admission.lane_lease", "dos.admission.lease_ops", "dos.admission.lease_intent",
    "dos.store.journal", "dos.store.protocol", "dos.store.attempts", "dos.store.intents"))
_OTHER_TRUTH = frozenset((
    "dos.truth.commit_audit", "dos.truth.plan_board", "dos.truth.coverage",
    "dos.truth.verify_result", "dos.truth.near_miss", "dos.truth.file_classes"))

# name -> (argv after `dos`, modules it must not load)
_VERBS: dict[str, tuple[list[str], frozenset[str]]] = {
    "verify": (["verify", "AUTH", "AUTH1"], _ANY_VERB | _OTHER_TRUTH | _WRITE_MACHINERY),
    "arbitrate": (["arbitrate", "--lane", "api"], _ANY_VERB | _WRITE_MACHINERY | _DEFERRED),
    "acquire": (["lease-lane", "acquire", "--lane", "api", "--owner", "s1"],
                _ANY_VERB | _DEFERRED),
    "release": (["lease-lane", "release", "--lane", "api", "--owner", "s1"],
                _ANY_VERB | _DEFERRED | {"dos.api.attempts", "dos.store.attempts"}),
    "status": (["status", "{run_id}", "--start-sha", "HEAD"],
               _ANY_VERB | _DEFERRED | {"dos.store.protocol", "dos.store.attempts",
                                        "dos.store.intents"}),
}

# The enum classes of dos each verb builds: the ones it decides with (the verdict base
# is built before the probe watches, as it imports the token class), none of the
# family's others; lease-lane release exits on whether the lease
# was released and builds none.
_ENUMS: dict[str, set[str]] = {
    "verify": {"dos.verdicts.truth.ShipToken"},
    "arbitrate": {"dos.verdicts.admission.ArbitrateToken"},
    "acquire": {"dos.verdicts.admission.ArbitrateToken",
                "dos.verdicts.lease_lane.LeaseLaneToken"},
    "release": set(),
    "status": {"dos.verdicts.temporal.LivenessToken",
               "dos.verdicts.temporal.StatusToken"},
}

# The console script's own entry, then the enum classes the verb built and the modules
# it loaded (after its output). enum and the token class are imported first, to see
# every class either builds.
_PROBE = """\
import enum, sys
built = []
def _new(metacls, name, bases, namespace, _new=enum.EnumType.__new__, **kwargs):
    cls = _new(metacls, name, bases, namespace, **kwargs)
    built.append(cls.__module__ + "." + cls.__qualname__)
    return cls
enum.EnumType.__new__ = _new
from dos.verdicts import _token_class  # dos's verdict families: built without enum
def _token(metacls, name, bases, namespace, _new=_token_class.TokenClass.__new__):
    cls = _new(metacls, name, bases, namespace)
    built.append(cls.__module__ + "." + cls.__qualname__)
    return cls
_token_class.TokenClass.__new__ = _token
before = set(sys.modules)
from dos.cli import main
code = main()
sys.stdout.flush()
sys.stderr.write("\\nENUMS " + " ".join(built) + "\\n")
from dos.deferred_imports import DEFERRED, is_deferred
waiting = {name for name in DEFERRED if is_deferred(name)}  # a stand-in nothing used
sys.stderr.write("MODULES " + " ".join(sorted(set(sys.modules) - before - waiting)) + "\\n")
sys.exit(code)
"""


def _run_probe(root: Path, argv: list[str]) -> tuple[set[str], list[str]]:
    """The modules the verb loaded, and the enum classes it built (in order)."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=root, check=False,
                          capture_output=True, text=True, env=dict(os.environ))
    head, _, tail = done.stderr.rpartition("\nENUMS ")
    enums, _, modules = tail.partition("\nMODULES ")
    assert done.returncode == 0, done.stderr
    assert head == "", head
    return set(modules.split()), enums.split()


def _probe(root: Path, argv: list[str]) -> set[str]:
    return _run_probe(root, argv)[0]


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
    modules, enums = _run_probe(workspace, argv)
    assert sorted(modules & unused) == []
    assert "dos.config" in modules  # the probe saw the verb's imports at all
    built = [name for name in enums if name.startswith("dos.")]
    assert sorted(built) == sorted(_ENUMS[verb])  # each once, and no other of dos's enums


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


def test_a_run_that_has_not_moved_costs_no_git_call(workspace: Path, tmp_path: Path) -> None:
    """`status --start-sha HEAD`: HEAD is read from .git's files (dos.git.head_file), and a
    start that is the tip has no commits after it (no rev-parse, merge-base or log)."""
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
    assert not log.exists(), log.read_text(encoding="utf-8")


# The enums the short verbs do not decide with, by family: the module each moved to.
_MOVED = {
    "dos.verdicts.admission": {
        "JournalToken": "dos.verdicts.journal", "LeaseLaneToken": "dos.verdicts.lease_lane",
        "ManToken": "dos.verdicts.manual", "RefuseToken": "dos.verdicts.refusal",
        "ScopeToken": "dos.verdicts.scope"},
    "dos.verdicts.truth": {
        "AuditToken": "dos.verdicts.audit", "CoverageToken": "dos.verdicts.coverage",
        "MemoryToken": "dos.verdicts.memory", "ResultToken": "dos.verdicts.transcript"},
    "dos.verdicts.temporal": {
        "BreakerToken": "dos.verdicts.breaker", "CooldownToken": "dos.verdicts.cooldown",
        "EfficiencyToken": "dos.verdicts.efficiency",
        "ProductivityToken": "dos.verdicts.productivity",
        "SuperviseOutcome": "dos.verdicts.supervise"},
}


@pytest.mark.parametrize("family", sorted(_MOVED))
def test_a_moved_enum_is_the_same_class_by_its_old_path(family: str) -> None:
    module = importlib.import_module(family)
    star: dict[str, object] = {}
    exec(f"from {family} import *", star)  # noqa: S102 - the import a user's code writes
    for name, home in _MOVED[family].items():
        moved = getattr(importlib.import_module(home), name)
        assert moved.__module__ == home
        assert getattr(module, name) is moved  # `from family import name` asks the same
        assert star[name] is moved
        assert name in module.__all__
    assert not hasattr(module, "NoSuchToken")


# A fresh interpreter imports the families: none of the moved enums is built until a
# name is asked for, and then only that one.
_LAZY = """\
import sys
import dos.verdicts.admission, dos.verdicts.temporal, dos.verdicts.truth
homes = set(sys.argv[1:])
print(" ".join(sorted(homes & set(sys.modules))))
from dos.verdicts.admission import ScopeToken
print(" ".join(sorted(homes & set(sys.modules))), ScopeToken.__module__)
"""


def test_a_family_builds_a_moved_enum_only_when_asked() -> None:
    homes = sorted(home for moved in _MOVED.values() for home in moved.values())
    done = subprocess.run([sys.executable, "-c", _LAZY, *homes], check=True,
                          capture_output=True, text=True)
    assert done.stdout.split("\n") == ["", "dos.verdicts.scope dos.verdicts.scope", ""]
