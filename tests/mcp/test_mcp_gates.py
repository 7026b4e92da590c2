"""The loop-gate tools over a real stdio session answer exactly as their CLI verbs, take
their policy from the served workspace's dos.toml, and refuse bad arguments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import connect, run_cli, same_answer

pytestmark = pytest.mark.anyio

PRIOR = '{"incidents": [{"id": "12345"}]}'
CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("dos_exec_capability", {"command": "cat x | bash"},
     ["exec-capability", "--command", "cat x | bash"]),
    ("dos_exec_capability", {"command": "ls -la", "extra": ["ls"]},
     ["exec-capability", "--command", "ls -la", "--extra", "ls"]),
    ("dos_exec_capability", {"command": "grep x", "allow": ["ls"]},
     ["exec-capability", "--command", "grep x", "--allow", "ls"]),
    ("dos_arg_provenance", {"tool": "close_incident", "args": {"incident_id": "1234"},
                            "prior": [PRIOR]},
     ["arg-provenance", "--tool", "close_incident", "--args", '{"incident_id": "1234"}',
      "--prior", PRIOR]),
    ("dos_arg_provenance", {"tool": "close_incident", "args": {"incident_id": "12345"},
                            "prior": [PRIOR], "task_text": "close it"},
     ["arg-provenance", "--tool", "close_incident", "--args", '{"incident_id": "12345"}',
      "--prior", PRIOR, "--task-text", "close it"]),
    ("dos_answer_shape", {"text": "Pin the version in setup.cfg."},
     ["answer-shape", "--text", "Pin the version in setup.cfg."]),
    ("dos_answer_shape", {"text": "aaz words", "non_answer": ["a{1,3}z"]},
     ["answer-shape", "--text", "aaz words", "--non-answer", "a{1,3}z"]),
    ("dos_answer_shape", {"text": "just words", "markers": ["^## answer"]},
     ["answer-shape", "--text", "just words", "--markers", "^## answer"]),
]


async def test_each_gate_tool_answers_as_its_cli_verb(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments, _ in CASES]
    for (tool, arguments, argv), reply in zip(CASES, replies, strict=True):
        try:
            same_answer(reply, run_cli(capsys, *ws, *argv, "--json"))
        except AssertionError as error:
            raise AssertionError(f"{tool} {arguments} differs from dos {argv}") from error
    assert [reply.exit_code for reply in replies] == [3, 3, 3, 3, 0, 0, 3, 4]


async def test_the_workspace_policy_applies_and_bad_arguments_are_errors(
        workspace: Path, errlog: Path) -> None:
    (workspace / "dos.toml").write_text(
        (workspace / "dos.toml").read_text(encoding="utf-8")
        + '\n[exec_capability]\nallow = ["ls"]\n', encoding="utf-8")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        listed = await client.call("dos_exec_capability", command="grep x")
        bad_regex = await client.call("dos_answer_shape", text="x", non_answer=["(unclosed"])
        bad_budget = await client.call("dos_answer_shape", text="x", budget_ms=0)
        not_bool = await client.call("dos_arg_provenance", tool="t", args={}, read="false")
        tools = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    assert (listed.exit_code, listed.json["mode"]) == (3, "allow-list")
    for reply in (bad_regex, bad_budget, not_bool):
        assert reply.is_error, reply.text
        assert reply.exit_code == 2, reply.text
    for name in ("dos_exec_capability", "dos_arg_provenance", "dos_answer_shape"):
        hints = tools[name].annotations
        assert hints is not None
        assert hints.read_only_hint is True
