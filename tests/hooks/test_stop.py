"""The stop hook: claims from the last message or the whole last turn of the
transcript, checked with `dos verify`; a held stop is never held again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests._support.hooks import HookRun

from dos.hooks.claims import claims_in, last_assistant_turn


def _line(role: str, content: object, layout: str = "claude") -> str:
    message = {"role": role, "content": content}
    if layout == "codex":
        return json.dumps({"type": "response_item", "payload": {"type": "message", **message}})
    return json.dumps({"type": role, "message": message})


def test_claim_grammar() -> None:
    text = ("done\nDOS-CLAIM: AUTH AUTH2\n> - DOS-CLAIM: PAY PAY1\nDOS-CLAIM: AUTH AUTH2\n"
            "I will write DOS-CLAIM: X Y later\nDOS-CLAIM: A\nB\n")
    assert claims_in([text]) == [("AUTH", "AUTH2"), ("PAY", "PAY1")]


def test_the_whole_last_turn_is_read_and_tool_results_do_not_end_it() -> None:
    lines = [
        _line("user", "please ship AUTH2"),
        _line("assistant", [{"type": "text", "text": "DOS-CLAIM: OLD OLD1"}]),
        _line("user", "now AUTH2"),
        _line("assistant", [{"type": "text", "text": "DOS-CLAIM: AUTH AUTH2"},
                            {"type": "tool_use", "id": "t", "name": "Bash", "input": {}}]),
        _line("user", [{"type": "tool_result", "tool_use_id": "t", "content": "ok"}]),
        _line("assistant", [{"type": "text", "text": "Also DOS-CLAIM: no\nDOS-CLAIM: PAY PAY1"}]),
        "not json at all",
    ]
    assert claims_in(last_assistant_turn(lines)) == [("AUTH", "AUTH2"), ("PAY", "PAY1")]


def test_codex_transcript_layout() -> None:
    lines = [_line("user", [{"type": "input_text", "text": "go"}], "codex"),
             _line("assistant", [{"type": "output_text", "text": "DOS-CLAIM: AUTH AUTH3"}],
                   "codex")]
    assert claims_in(last_assistant_turn(lines)) == [("AUTH", "AUTH3")]


def test_a_line_nested_past_the_stack_is_skipped_like_a_torn_one() -> None:
    lines = [_line("assistant", "DOS-CLAIM: AUTH AUTH2"), "[" * 100_000, '{"a": ' * 5_000]
    assert claims_in(last_assistant_turn(lines)) == [("AUTH", "AUTH2")]


def test_flags_name_a_claim_and_a_transcript(workspace: Path,
                                            hook: Callable[..., HookRun]) -> None:
    transcript = workspace / "t.jsonl"
    transcript.write_text(_line("assistant", "DOS-CLAIM: AUTH AUTH1") + "\n", encoding="utf-8")
    payload = {"session_id": "s", "cwd": str(workspace), "hook_event_name": "Stop",
               "stop_hook_active": False}
    assert hook("stop", "claude-code", payload, "--transcript", str(transcript)).stdout == ""
    blocked = hook("stop", "claude-code", payload, "--plan", "AUTH", "--phase", "AUTH7")
    assert "AUTH AUTH7" in blocked.json["reason"]


def test_all_unshipped_claims_are_named(workspace: Path, hook: Callable[..., HookRun]) -> None:
    payload = {"session_id": "s", "cwd": str(workspace), "hook_event_name": "SubagentStop",
               "stop_hook_active": False,
               "last_assistant_message": "DOS-CLAIM: AUTH AUTH1\nDOS-CLAIM: AUTH AUTH4\n"
                                         "DOS-CLAIM: PAY PAY2"}
    reason = hook("stop", "claude-code", payload).json["reason"]
    assert "AUTH AUTH4" in reason
    assert "PAY PAY2" in reason
    assert "AUTH AUTH1" not in reason
