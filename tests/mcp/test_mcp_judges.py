"""The judge tools over a real stdio session answer as their CLI verbs, and refuse
what they must: a path outside, a judge that would start a program, a run not on record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer

from dos.store import writing
from dos.store.verdicts import VerdictEntry
from dos.workspace import load_config

pytestmark = pytest.mark.anyio

RUN = "RID-1M8HSC4V72JNYG0"
CASES = [{"claim_text": "tests pass", "truth": False, "evidence": ["tests did not pass"]},
         {"claim_text": "lint clean", "truth": "false", "evidence": ["lint clean"]}]


def _setup(workspace: Path) -> None:
    lines = "\n".join(json.dumps(case) for case in CASES)
    (workspace / "claims.jsonl").write_text(lines + "\n", encoding="utf-8")
    with writing(load_config(str(workspace), None)) as tx:
        tx.append_verdict(VerdictEntry(syscall="next", verdict="HELD", source="cli",
                                       run_id=RUN, detail={"because": "ALL_COOLING"}))


async def test_each_judge_tool_answers_as_its_cli_verb(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _setup(workspace)
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        wedge = await client.call("dos_judge_wedge", run=RUN)
        graded = await client.call("dos_judge_eval", cases="claims.jsonl", min_rate=0.5)
    same_answer(wedge, run_cli(capsys, *ws, "judge", "wedge", RUN, "--json"))
    same_answer(graded, run_cli(capsys, *ws, "judge-eval", "--cases", "claims.jsonl",
                                "--min-rate", "0.5", "--json"))
    assert (wedge.exit_code, graded.exit_code) == (1, 1)


async def test_refusals(workspace: Path, errlog: Path, tmp_path: Path) -> None:
    _setup(workspace)
    outside = tmp_path / "outside.jsonl"
    outside.write_text(json.dumps(CASES[0]) + "\n", encoding="utf-8")
    with (workspace / "dos.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[judges.llm]\ncommand = ["touch", "pwned"]\n')
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = [
            await client.call("dos_judge_eval", cases=str(outside)),
            await client.call("dos_judge_eval", cases="claims.jsonl", judge="llm"),
            await client.call("dos_judge_eval", cases="claims.jsonl", min_rate=2.0),
            await client.call("dos_judge_wedge", run="../../etc/passwd"),
            await client.call("dos_judge_wedge", run="RID-1M8HSC4V72JNYG1"),
        ]
    for reply in replies:
        assert reply.is_error, reply.text
        assert reply.exit_code == 2, reply.text
    assert not (workspace / "pwned").exists()
