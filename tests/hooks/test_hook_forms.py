"""`dos hook` answers in the host's grammar in text and plain form alike; --json, which
would mean nothing to a host, is a usage error on both the fast and the argparse path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import SESSION_B, HookRun


def _denied_write(root: Path) -> bytes:
    return json.dumps({"session_id": SESSION_B, "cwd": str(root), "hook_event_name":
                       "PreToolUse", "tool_name": "Write",
                       "tool_input": {"file_path": str(root / "src/api/a.py")}}).encode()


@pytest.mark.parametrize("dialect", ["claude-code", "codex"])
def test_text_and_plain_give_the_same_reply(dialect: str, workspace: Path,
                                            dos_cli: Callable[..., HookRun]) -> None:
    ws = ["--workspace", str(workspace)]
    text = dos_cli(*ws, "hook", "pretool", "--dialect", dialect, stdin=_denied_write(workspace))
    plain = dos_cli(*ws, "--output", "plain", "hook", "pretool", "--dialect", dialect,
                    stdin=_denied_write(workspace))
    slow = dos_cli(*ws, "hook", "pretool", "--dialect", dialect, "--output", "plain",
                   stdin=_denied_write(workspace))
    assert "leased by session-A" in text.stdout + text.stderr
    for other in (plain, slow):
        assert (other.stdout, other.stderr, other.code) == (text.stdout, text.stderr, text.code)
        assert other.stderr.isascii()


@pytest.mark.parametrize("argv", [["--json", "hook", "pretool"],
                                  ["hook", "pretool", "--json"],
                                  ["--output", "json", "hook", "stop"]])
def test_json_is_a_usage_error(argv: list[str], workspace: Path,
                               dos_cli: Callable[..., HookRun]) -> None:
    done = dos_cli("--workspace", str(workspace), *argv, stdin=_denied_write(workspace))
    assert (done.code, done.stdout) == (2, "")
    assert "the host's own grammar; --json does not apply" in done.stderr
