"""`dos init --hooks HOST` writes the absolute path of the running `dos` (or this
interpreter with `-m dos`), shell-quoted and escaped for the host's config format,
so a host that starts hooks without the virtualenv still runs it; `doctor --wiring`
calls wiring whose program does not resolve to an executable DRIFTED."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, SESSION_B, HookRun

from dos.hooks.install import apply, plan_install, wiring
from dos.hooks.install_hosts import HOSTS, spec_for
from dos.hooks.install_program import program_problem

SCRIPT = Path(sys.executable).with_name("dos")
BARE_ENV = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/")}


def _commands(root: Path, host: str) -> list[str]:
    """Every command the host's config holds for dos's pretool event."""
    spec = spec_for(host)
    text = (root / spec.path).read_text(encoding="utf-8")
    event = spec.events[0][0]
    data = tomllib.loads(text) if spec.layout == "toml" else json.loads(text)
    entries = data["hooks"][event]
    return [entry["command"] if spec.layout == "flat" else entry["hooks"][-1]["command"]
            for entry in entries]


def _edit(root: Path, host: str) -> bytes:
    return json.dumps({"session_id": SESSION_B, "cwd": str(root), "tool_name": "Write",
                       "hook_event_name": spec_for(host).events[0][0],
                       "conversation_id": SESSION_B,
                       "tool_input": {"file_path": str(root / "src/api/x.py")}}).encode()


@pytest.fixture
def leased(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("spaced name's ws")
    repo.commit("init", {"dos.toml": DOS_TOML})
    root = Path(repo.path).resolve()
    subprocess.run([str(SCRIPT), "lease-lane", "acquire", "--lane", "api", "--owner", SESSION_A],
                   cwd=root, check=True, capture_output=True)
    return root


@pytest.mark.parametrize("host", HOSTS)
def test_the_installed_command_is_the_running_dos_quoted(host: str, leased: Path,
                                                         tmp_path: Path) -> None:
    # dos installed under a path a shell would split, reached through a link
    odd = tmp_path / "tools dir" / "it's here"
    odd.mkdir(parents=True)
    (odd / "dos").symlink_to(SCRIPT)
    done = subprocess.run([str(odd / "dos"), "init", "--hooks", host], cwd=leased,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    command = _commands(leased, host)[-1]
    assert shlex.split(command)[:2] == [str(odd / "dos"), "hook"]
    ran = subprocess.run(["/bin/sh", "-c", command], cwd=leased, env=BARE_ENV,
                         input=_edit(leased, host), capture_output=True, check=False)
    assert b"leased by session-A" in ran.stdout + ran.stderr, ran.stderr
    assert wiring(leased, host).status == "WIRED"
    assert wiring(leased, host).program == shlex.quote(str(odd / "dos"))


def test_without_a_console_script_it_is_this_interpreter(tmp_path: Path) -> None:
    apply(tmp_path, plan_install(tmp_path, "gemini"))
    command = _commands(tmp_path, "gemini")[0]
    assert shlex.split(command)[:4] == [str(Path(sys.executable).absolute()), "-m", "dos",
                                        "hook"]


def test_a_program_that_is_gone_is_drifted_and_repaired(leased: Path, tmp_path: Path,
                                                        dos_cli: Callable[..., HookRun]) -> None:
    gone = tmp_path / "old-venv" / "dos"
    gone.parent.mkdir()
    gone.symlink_to(SCRIPT)
    subprocess.run([str(gone), "init", "--hooks", "codex"], cwd=leased, check=True,
                   capture_output=True)
    assert wiring(leased, "codex").status == "WIRED"
    gone.unlink()
    found = wiring(leased, "codex")
    assert found.status == "DRIFTED"
    assert "is not an executable file" in found.detail
    report = dos_cli("--workspace", str(leased), "doctor", "--wiring")
    assert report.code == 1
    assert "codex        DRIFTED" in report.stdout
    repaired = dos_cli("init", str(leased), "--hooks", "codex")
    assert "repaired" in repaired.stdout
    assert wiring(leased, "codex").status == "WIRED"
    assert (leased / ".codex" / "config.toml").read_text(encoding="utf-8").count("# >>>") == 1


def test_a_bare_name_must_be_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".cursor" / "hooks.json"
    apply(tmp_path, plan_install(tmp_path, "cursor"))
    data = json.loads(path.read_text(encoding="utf-8"))
    for entries in data["hooks"].values():
        for entry in entries:
            entry["command"] = "dos hook " + entry["command"].split(" hook ", 1)[1]
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("PATH", str(SCRIPT.parent))
    assert wiring(tmp_path, "cursor").status == "WIRED"
    monkeypatch.setenv("PATH", "/nonexistent")
    found = wiring(tmp_path, "cursor")
    assert (found.status, found.detail.startswith("the hook command's program 'dos' is not on "
                                                  "PATH")) == ("DRIFTED", True)


@pytest.mark.parametrize(("program", "problem"), [
    ("/bin/sh", ""), ("sh -e", ""), ("'/no such/dos'", "is not an executable file"),
    ("bin/dos", "relative path"), ("'unclosed", "cannot be read"), ("", "names no program"),
])
def test_program_problems(program: str, problem: str) -> None:
    found = program_problem(program)
    assert (problem in found) if problem else found == ""
