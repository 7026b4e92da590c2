"""The eval tools over a real stdio session answer exactly as their CLI verbs, and read
a case file only from inside the served workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer

pytestmark = pytest.mark.anyio

LINES = {
    "pairs.jsonl": {"tree_a": ["src/**"], "tree_b": ["docs/**"], "collided": True},
    "calls.jsonl": {"verdict": "UNSUPPORTED", "truly_minted": True, "mattered_to_score": True,
                    "recovered_if_blocked": True, "recovered_if_deferred": True},
    "streams.jsonl": {"repeat": 3, "actually_stuck": True, "legit_polling": False,
                      "recovered_if_fired": True},
}


async def test_each_eval_tool_answers_as_its_cli_verb(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, line in LINES.items():
        (workspace / name).write_text(json.dumps(line) + "\n", encoding="utf-8")
    path = {name: str(workspace / name) for name in LINES}
    calls = [("dos_overlap_eval", {"cases": path["pairs.jsonl"]},
              ["overlap-eval", "--cases", path["pairs.jsonl"]]),
             ("dos_intervention_eval", {"cases": path["calls.jsonl"], "entries": ["3=DEFER"]},
              ["intervention-eval", "--cases", path["calls.jsonl"], "--map", "3=DEFER"]),
             ("dos_tool_stream_eval", {"cases": path["streams.jsonl"], "min_rate": 0.5},
              ["tool-stream-eval", "--cases", path["streams.jsonl"], "--min-rate", "0.5"])]
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments, _ in calls]
        outside = await client.call("dos_overlap_eval", cases="../elsewhere.jsonl")
    for (_tool, _arguments, argv), reply in zip(calls, replies, strict=True):
        same_answer(reply, run_cli(capsys, *ws, *argv, "--json"))
    assert [reply.exit_code for reply in replies] == [1, 0, 0]
    assert outside.is_error
    assert "outside" in outside.text or "workspace" in outside.text
