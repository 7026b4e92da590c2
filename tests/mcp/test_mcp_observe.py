"""``dos_observe`` over a real stdio session answers as ``dos observe --json``, and the
verdict tools journal their answers with source ``mcp``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer

from dos.record.verdict_journal import read_events
from dos.workspace import load_config

pytestmark = pytest.mark.anyio


async def test_observe_answers_as_the_cli_and_tools_journal_as_mcp(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = ["--workspace", str(workspace)]
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w1", "--json")
    async with connect(*ws, errlog=errlog) as client:
        shipped = await client.call("dos_verify", plan="AUTH", phase="AUTH1")
        refused = await client.call("dos_lease_acquire", owner="w2", lane="src")
        # A verdict tool's own answer is unchanged by journaling.
        assert (shipped.exit_code, refused.exit_code) == (0, 1)
        run_cli(capsys, *ws, "observe", "--json")  # re-hashes once: the checkpoint settles
        expected = run_cli(capsys, *ws, "observe", "--by", "source", "--tail", "5", "--json")
        observed = await client.call("dos_observe", by="source", tail=5)
        same_answer(observed, expected)
        assert observed.json["rollup"]["counts"] == {
            "cli": {"ACQUIRE": 1}, "mcp": {"REFUSE": 1, "SHIPPED": 1}}
        history = await client.call("dos_observe", syscall="verify")
        broken = await client.call("dos_observe", tail=0)
        listed = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    events = list(read_events(load_config(workspace, None)))
    assert [(e.syscall, e.verdict, e.source) for e in events] == [
        ("lease-lane", "ACQUIRE", "cli"), ("verify", "SHIPPED", "mcp"),
        ("lease-lane", "REFUSE", "mcp")]
    assert [e["subject"] for e in history.json["events"]] == ["AUTH::AUTH1"]
    assert broken.is_error
    assert "tail" in broken.text
    hints = listed["dos_observe"].annotations
    assert hints is not None
    assert hints.read_only_hint is True
    schema = listed["dos_observe"].input_schema["properties"]
    assert schema["by"]["enum"] == ["syscall", "verdict", "run_id", "lane", "source"]
    assert (schema["tail"]["anyOf"][0]["minimum"], schema["tail"]["anyOf"][0]["maximum"]) == \
        (1, 10_000)
