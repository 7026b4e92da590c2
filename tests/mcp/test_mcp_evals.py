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
    "flags.jsonl": {"confidence": "high", "truly_minted": True, "mattered_to_score": True,
                    "recovered_if_blocked": True, "recovered_if_deferred": True},
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
              ["tool-stream-eval", "--cases", path["streams.jsonl"], "--min-rate", "0.5"]),
             ("dos_intervention_eval", {"cases": path["flags.jsonl"], "high": "defer",
                                        "low": "block", "ceiling": "Defer"},
              ["intervention-eval", "--cases", path["flags.jsonl"], "--high", "defer",
               "--low", "block", "--ceiling", "Defer"])]
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments, _ in calls]
        outside = await client.call("dos_overlap_eval", cases="../elsewhere.jsonl")
        inverted = await client.call("dos_intervention_eval", cases=path["flags.jsonl"],
                                     high="WARN", low="BLOCK")
    for (_tool, _arguments, argv), reply in zip(calls, replies, strict=True):
        same_answer(reply, run_cli(capsys, *ws, *argv, "--json"))
    assert [reply.exit_code for reply in replies] == [1, 0, 0, 0]
    assert json.loads(replies[3].text)["policy"]["on_high_confidence"] == "defer"
    assert json.loads(replies[3].text)["actions"]["DEFER"] == 1
    assert inverted.is_error
    assert "on_low_confidence 'BLOCK' is more disruptive than on_high_confidence 'WARN'" \
        in inverted.text
    assert outside.is_error
    assert "outside" in outside.text or "workspace" in outside.text


async def test_the_precursor_tool_grades_the_workspace_grammar(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[precursor.requires]\nupdate_ticket = ["get_ticket"]\n')
    cases = workspace / "calls.jsonl"
    cases.write_text(json.dumps({"tool": "update_ticket", "prior": [],
                                 "precursor_required": True,
                                 "precursor_actually_fired": False}) + "\n", encoding="utf-8")
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        reply = await client.call("dos_precursor_gate_eval", cases=str(cases), min_rate=1.0)
    same_answer(reply, run_cli(capsys, *ws, "precursor-gate-eval", "--cases", str(cases),
                               "--min-rate", "1", "--json"))
    assert reply.exit_code == 0
