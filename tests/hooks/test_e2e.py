"""End to end through the real CLI in subprocesses, as a host runs the hook: session A
leases a lane with `dos lease-lane acquire`; A's edit inside it is allowed, B's denied."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, SESSION_B


def _dos(args: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dos", *args], cwd=cwd, input=stdin,
                          capture_output=True, check=False, env=dict(os.environ))


def _edit(root: Path, session: str, rel: str) -> bytes:
    return json.dumps({
        "session_id": session, "transcript_path": str(root / "t.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": str(root / rel), "old_string": "a", "new_string": "b"},
        "tool_use_id": "toolu_1"}).encode()


def test_holder_edits_its_lease_and_another_session_is_denied(
        git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": DOS_TOML, "src/api/a.py": "a = 1\n"})
    root = Path(repo.path).resolve()
    acquired = _dos(["lease-lane", "acquire", "--lane", "api", "--owner", SESSION_A], root)
    assert acquired.returncode == 0, acquired.stderr

    own = _dos(["hook", "pretool", "--dialect", "claude-code"], root, _edit(root, SESSION_A,
                                                                          "src/api/a.py"))
    assert (own.returncode, own.stdout, own.stderr) == (0, b"", b"")

    other = _dos(["hook", "pretool", "--dialect", "claude-code"], root, _edit(root, SESSION_B,
                                                                            "src/api/a.py"))
    assert other.returncode == 0
    decision = json.loads(other.stdout)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny"
    assert "leased by session-A" in decision["permissionDecisionReason"]

    codex = _dos(["hook", "pretool", "--dialect", "codex"], root, _edit(root, SESSION_B,
                                                                      "src/api/a.py"))
    assert (codex.returncode, codex.stdout) == (2, b"")
    assert b"leased by session-A" in codex.stderr

    released = _dos(["lease-lane", "release", "--lane", "api", "--owner", SESSION_A], root)
    assert released.returncode == 0, released.stderr
    after = _dos(["hook", "pretool"], root, _edit(root, SESSION_B, "src/api/a.py"))
    assert (after.returncode, after.stdout) == (0, b"")


def test_installed_command_runs_without_the_virtualenv(git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": DOS_TOML, "src/api/a.py": "a = 1\n"})
    root = Path(repo.path).resolve()
    assert _dos(["init", "--hooks", "claude-code"], root).returncode == 0
    settings = json.loads((root / ".claude" / "settings.json").read_text(encoding="utf-8"))
    command = settings["hooks"]["PreToolUse"][0]["hooks"][0]["command"]
    assert command.startswith("/")  # the absolute path of the dos that installed it
    assert _dos(["lease-lane", "acquire", "--lane", "api", "--owner", SESSION_A],
                root).returncode == 0
    # as a host runs it: through a shell, from a subdirectory, no virtualenv on PATH
    bare = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/")}
    denied = subprocess.run(["/bin/sh", "-c", command], cwd=root / "src", env=bare,
                            input=_edit(root, SESSION_B, "src/api/new.py"), capture_output=True,
                            check=False)
    assert denied.returncode == 0, denied.stderr
    assert json.loads(denied.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    wiring = _dos(["doctor", "--wiring", "--json"], root)
    assert wiring.returncode == 0
    assert json.loads(wiring.stdout)["wiring"]["claude-code"]["status"] == "WIRED"


def test_fast_main_answers_like_the_parser_or_defers_to_it(
        workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from dos.commands.hook import fast_main

    payload = _edit(workspace, SESSION_B, "src/api/a.py")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    assert fast_main(["pretool", "--dialect=codex", "--on-error", "deny"]) == 2
    assert "leased by session-A" in capsys.readouterr().err
    for argv in (["pretool", "--help"], ["pretool", "--dialect", "hermes"], ["pretool", "--plan",
                 "X"], ["marker"], ["pretool", "--dialect"], []):
        assert fast_main(argv) is None, argv
    assert fast_main(["pretool"], {"help": True}) is None
