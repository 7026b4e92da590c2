"""posttool renews the session's own lease and judges the tool stream; stream state
is one small record per session in the store's memory table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import SESSION_A, SESSION_B, HookRun

from dos.hooks.streams import advance, classify, step_of

T0 = 1_900_000_000_000


def _live(dos_cli: Callable[..., HookRun], root: Path) -> dict[str, dict[str, object]]:
    done = dos_cli("--workspace", str(root), "lease-lane", "live", "--json")
    return {lease["holder"]: lease for lease in json.loads(done.stdout)}


def _call(root: Path, session: str, result: object = "ok") -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PostToolUse",
            "tool_name": "Bash", "tool_input": {"command": "make"}, "tool_response": result}


def test_heartbeat_renews_only_the_sessions_own_lease(
        git_repo: Callable[..., Any], dos_cli: Callable[..., HookRun],
        hook: Callable[..., HookRun], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = git_repo()
    root = Path(repo.path).resolve()
    (root / "dos.toml").write_text('[lanes]\nconcurrent = ["api", "ui"]\nexclusive = []\n'
                                   'autopick = []\n[lanes.trees]\napi = ["api/**"]\n'
                                   'ui = ["ui/**"]\n', encoding="utf-8")
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    for lane, owner in (("api", SESSION_A), ("ui", SESSION_B)):
        assert dos_cli("--workspace", str(root), "lease-lane", "acquire", "--lane", lane,
                       "--owner", owner).code == 0
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 120_000))
    assert hook("posttool", "claude-code", _call(root, SESSION_A)).code == 0
    live = _live(dos_cli, root)
    assert live[SESSION_A]["renewed_at_ms"] == T0 + 120_000
    assert live[SESSION_B]["renewed_at_ms"] == T0
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 130_000))  # within the coalesce window
    hook("posttool", "claude-code", _call(root, SESSION_A, "other"))
    assert _live(dos_cli, root)[SESSION_A]["renewed_at_ms"] == T0 + 120_000


def test_stream_counts_per_session_and_resets_on_change(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    for _ in range(2):
        assert hook("posttool", "claude-code", _call(workspace, SESSION_A, "same")).stdout == ""
        hook("posttool", "claude-code", _call(workspace, SESSION_B, "same"))
    third = hook("posttool", "claude-code", _call(workspace, SESSION_A, "same"))
    assert "REPEATING" in third.json["hookSpecificOutput"]["additionalContext"]
    changed = hook("posttool", "claude-code", _call(workspace, SESSION_A, "new"))
    assert changed.stdout == ""


def test_ignored_tools_and_thresholds_come_from_dos_toml(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool_stream]\nrepeat_n = 2\nstall_n = 3\nignore_tools = ["Read"]\n')
    read = {**_call(workspace, SESSION_A, "x"), "tool_name": "Read"}
    assert all(hook("posttool", "claude-code", read).stdout == "" for _ in range(4))
    outputs = [hook("posttool", "claude-code", _call(workspace, SESSION_A, "x")).stdout
               for _ in range(3)]
    assert outputs[0] == ""
    assert "REPEATING" in outputs[1]
    assert "STALLED" in outputs[2]


def test_no_result_breaks_a_run() -> None:
    state: dict[str, Any] = {}
    for result in ("a", "a", None, "a"):
        state = advance(state, step_of("Bash", {"command": "x"}, result))
    assert state["count"] == 1
    assert classify(5, repeat_n=3, stall_n=5) == "STALLED"
    assert classify(3, repeat_n=3, stall_n=5) == "REPEATING"
    assert classify(2, repeat_n=3, stall_n=5) == "ADVANCING"
