"""A hook that fails itself answers in the direction [hooks] on_error chose, in the
host's own grammar, with one line on stderr either way."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import SESSION_B, HookRun

from dos.hooks.failure import peek_on_error


def _edit(root: Path) -> dict[str, object]:
    return {"session_id": SESSION_B, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": "Write", "tool_input": {"file_path": str(root / "src/api/a.py")}}


@pytest.fixture
def broken_store(workspace: Path) -> Path:
    (workspace / ".dos" / "dos.db").write_bytes(b"this is not a database" * 100)
    return workspace


def test_store_error_allows_by_default_and_says_so(broken_store: Path,
                                                   hook: Callable[..., HookRun]) -> None:
    done = hook("pretool", "claude-code", _edit(broken_store))
    assert (done.code, done.stdout) == (0, "")
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("dos hook pretool: error: ")
    assert done.stderr.endswith('— allowed ([hooks] on_error = "allow")\n')


def test_on_error_deny_blocks_in_each_hosts_grammar(broken_store: Path,
                                                    hook: Callable[..., HookRun]) -> None:
    with (broken_store / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[hooks]\non_error = "deny"\n')
    claude = hook("pretool", "claude-code", _edit(broken_store))
    assert claude.json["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "failing closed" in claude.json["hookSpecificOutput"]["permissionDecisionReason"]
    assert claude.stderr.endswith('— denied ([hooks] on_error = "deny")\n')
    codex = hook("pretool", "codex", _edit(broken_store))
    assert (codex.code, codex.stdout) == (2, "")
    cursor = hook("pretool", "cursor", {**_edit(broken_store), "conversation_id": SESSION_B,
                                        "hook_event_name": "preToolUse"})
    assert (cursor.code, cursor.json["permission"]) == (0, "deny")


def test_flag_overrides_the_workspace_policy(broken_store: Path,
                                             hook: Callable[..., HookRun]) -> None:
    done = hook("pretool", "gemini", {**_edit(broken_store), "hook_event_name": "BeforeTool"},
                "--on-error", "deny")
    assert done.code == 2
    assert "failing closed" in done.stderr


def test_posttool_never_blocks(broken_store: Path, hook: Callable[..., HookRun]) -> None:
    payload = {"session_id": SESSION_B, "cwd": str(broken_store), "tool_name": "Bash",
               "tool_input": {"command": "ls"}, "tool_response": "x"}
    done = hook("posttool", "claude-code", payload, "--on-error", "deny")
    assert (done.code, done.stdout) == (0, "")
    assert "allowed" in done.stderr


def test_a_held_stop_is_let_go_even_when_failing_closed(workspace: Path,
                                                       hook: Callable[..., HookRun]) -> None:
    (workspace / "dos.toml").write_text('[hooks]\non_error = "deny"\n[lanes]\nconcurrent = 5\n',
                                        encoding="utf-8")
    payload = {"session_id": "s", "cwd": str(workspace), "hook_event_name": "Stop",
               "last_assistant_message": "DOS-CLAIM: AUTH AUTH9", "stop_hook_active": False}
    blocked = hook("stop", "claude-code", payload)
    assert blocked.json["decision"] == "block"  # malformed dos.toml, on_error read anyway
    assert "denied" in blocked.stderr
    again = hook("stop", "claude-code", {**payload, "stop_hook_active": True})
    assert (again.code, again.stdout) == (0, "")


def test_garbage_on_stdin_is_a_hook_that_cannot_decide(workspace: Path,
                                                       hook: Callable[..., HookRun]) -> None:
    done = hook("pretool", "claude-code", b"\xff\xfe not json")
    assert (done.code, done.stdout) == (0, "")
    assert done.stderr == ("dos hook pretool: error: stdin is not UTF-8 (invalid start byte "
                           "at byte 0) — allowed ([hooks] on_error = \"allow\")\n")
    assert "stdin is empty" in hook("pretool", "claude-code", b"").stderr
    assert json.loads(hook("pretool", "cursor", b"[1, 2]").stdout) == {"permission": "allow"}


def test_unknown_dialect_is_a_loud_usage_error(hook: Callable[..., HookRun]) -> None:
    done = hook("pretool", "hermes", {"tool_name": "Write"})
    assert done.code == 2
    assert "hermes" in done.stderr


def test_a_policy_nested_past_the_stack_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "dos.toml").write_text('[hooks]\non_error = "deny"\nx = ' + "[" * 5_000
                                       + "]" * 5_000 + "\n", encoding="utf-8")
    assert peek_on_error(str(tmp_path)) == "deny"
