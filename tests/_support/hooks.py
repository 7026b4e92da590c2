"""A workspace with two lanes (api, ui), a commit that ships AUTH1, and session-A
holding the api lane; and a helper that runs `dos hook` through the real CLI."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from dos import cli

DOS_TOML = """\
[lanes]
concurrent = ["api", "ui"]
exclusive = ["global"]
autopick = ["api", "ui"]

[lanes.trees]
api = ["src/api/**"]
ui = ["src/ui/**"]
global = ["**/*"]
"""


SESSION_A = "session-A"


SESSION_B = "session-B"


class HookRun:
    """One `dos hook` answer: stdout, stderr and the exit code."""

    def __init__(self, stdout: str, stderr: str, code: int) -> None:
        self.stdout, self.stderr, self.code = stdout, stderr, code

    @property
    def json(self) -> Any:
        return json.loads(self.stdout) if self.stdout.strip() else None


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            argv: list[str], stdin: bytes = b"") -> HookRun:
    """``dos.cli.main(argv)`` in this process, with ``stdin`` as the payload."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return HookRun(out, err, code)


# The keys each host documents for a hook's stdout (Codex: additionalProperties false).
_CC_SPECIFIC = {"hookEventName", "permissionDecision", "permissionDecisionReason",
                "updatedInput", "additionalContext"}
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "claude-code": ({"continue", "stopReason", "suppressOutput", "systemMessage", "decision",
                     "reason", "hookSpecificOutput"}, _CC_SPECIFIC),
    "codex": ({"continue", "decision", "reason", "stopReason", "suppressOutput",
               "systemMessage", "hookSpecificOutput"}, _CC_SPECIFIC),
    "gemini": ({"decision", "reason", "continue", "stopReason", "systemMessage",
                "suppressOutput", "hookSpecificOutput"},
               {"tool_input", "additionalContext", "tool_output", "clearContext"}),
    "cursor": ({"permission", "user_message", "agent_message", "followup_message",
                "continue"}, set()),
}


def check_reply_schema(dialect: str, stdout: str) -> None:
    """``stdout`` is nothing, or one line of JSON holding only keys the host documents."""
    if not stdout:
        assert dialect != "cursor", "cursor always gets a JSON reply"
        return
    assert stdout.endswith("\n")
    assert "\n" not in stdout[:-1]
    reply = json.loads(stdout)
    top, specific = ALLOWED[dialect]
    assert isinstance(reply, dict)
    assert set(reply) <= top
    inner = reply.get("hookSpecificOutput", {})
    assert isinstance(inner, dict)
    assert set(inner) <= specific
    assert all(isinstance(value, str | bool | dict) for value in reply.values())


def blocked(dialect: str, kind: str, done: HookRun) -> bool:
    """Whether the host reads ``done`` as "blocked" (a denied tool, a refused stop)."""
    if dialect in ("codex", "gemini") and kind == "pretool":
        return done.code == 2 and done.stdout == "" and "failing closed" in done.stderr
    reply = done.json or {}
    if dialect == "cursor":
        return reply.get("permission") == "deny" or "followup_message" in reply
    if kind == "pretool":
        return reply.get("hookSpecificOutput", {}).get("permissionDecision") == "deny"
    return reply.get("decision") in ("block", "deny")
