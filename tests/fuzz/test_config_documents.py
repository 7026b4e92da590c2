"""Whatever `dos.toml` holds — wrong types, numbers that are not finite or do not fit,
path escapes, unknown keys, nesting without end, text that is not TOML or not UTF-8 —
every verb that loads it answers with a documented exit (2 for a config it refuses),
never a traceback, and writes nothing outside the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import event, given
from tests._support.fuzz import check_contract, fuzz_settings, make_workspace, outside, run_dos
from tests.fuzz.config_documents import document_bytes

from dos import run_id
from dos.hooks.dialects import load

RUN_ID = run_id.mint("worker").run_id
# A sample of verbs that load the whole config, each reading different tables.
VERBS = [["verify", "AUTH", "AUTH1"], ["status", RUN_ID], ["lint"], ["doctor"],
         ["lease-lane", "acquire", "--lane", "src", "--owner", "A", "--retries", "0"],
         ["lease-lane", "release", "--lane", "src", "--owner", "A"],
         ["scope-gate", "--lane", "src", "--file", "src/app.py"],
         ["liveness", "--run-id", RUN_ID, "--no-proc"]]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


def _edit(workspace: Path) -> bytes:
    return json.dumps({"session_id": "S", "cwd": str(workspace), "tool_name": "Write",
                       "hook_event_name": "PreToolUse",
                       "tool_input": {"file_path": "src/app.py"}}).encode()


@fuzz_settings(30)
@given(text=document_bytes())
def test_any_config_gets_a_documented_exit(workspace: Path, text: bytes) -> None:
    before = outside(workspace)
    (workspace / "dos.toml").write_bytes(text)
    for verb in VERBS:
        argv = ["--workspace", str(workspace), *verb]
        ran = run_dos(argv, cwd=workspace)
        event(f"{verb[0]} {ran.code}")  # --hypothesis-show-statistics: how many were refused
        check_contract(verb[0], ran, argv)
    # the hook's shortcuts (the remembered store view) answer as the full load does
    replies = [run_dos(["hook", "pretool"], cwd=workspace, stdin=_edit(workspace))
               for _ in range(2)]
    for ran in replies:
        assert ran.code in load("claude-code").exit_codes, ran
        assert "Traceback" not in ran.err, ran.err
    assert (replies[0].code, replies[0].out) == (replies[1].code, replies[1].out)
    assert outside(workspace) == before, "a run wrote outside the workspace"
