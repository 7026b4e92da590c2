"""A payload names its own cwd, so it is untrusted: the hook takes a workspace from it
only when that directory lies in one (a dos.toml or a git top level). A plain directory
— or `/` — never gets a `.dos/` store written into it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests._support.fuzz import make_workspace

POSTTOOL = {"session_id": "S", "hook_event_name": "PostToolUse", "tool_name": "Bash",
            "tool_input": {"command": "ls"}, "tool_response": "same"}


def _hook(kind: str, payload: dict[str, object], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dos", "hook", kind],
                          input=json.dumps(payload), cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=60)


@pytest.mark.parametrize("kind", ["posttool", "pretool"])
def test_a_payload_cwd_outside_any_workspace_gets_no_store(tmp_path: Path, kind: str) -> None:
    workspace, plain = tmp_path / "ws", tmp_path / "plain"
    workspace.mkdir()
    plain.mkdir()
    make_workspace(workspace)
    payload = {**POSTTOOL, "cwd": str(plain)}
    if kind == "pretool":
        payload = {**payload, "hook_event_name": "PreToolUse", "tool_name": "Write",
                   "tool_input": {"file_path": str(workspace / "src" / "x.py")}}
    done = _hook(kind, payload, cwd=workspace)
    assert done.returncode == 0, done.stderr
    assert not (plain / ".dos").exists()


def test_a_payload_cwd_inside_a_workspace_is_used(tmp_path: Path) -> None:
    workspace, elsewhere = tmp_path / "ws", tmp_path / "elsewhere"
    workspace.mkdir()
    elsewhere.mkdir()
    make_workspace(workspace)
    (workspace / "src" / "deep").mkdir(parents=True)
    done = _hook("posttool", {**POSTTOOL, "cwd": str(workspace / "src" / "deep")},
                 cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (workspace / ".dos" / "dos.db").is_file()
    assert not (elsewhere / ".dos").exists()
