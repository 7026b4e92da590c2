"""``dos_top`` over a real stdio session answers exactly as ``dos top --json``: the same
lanes, holders, ages, verdicts and commits, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer

from dos.store import TEST_CLOCK_ENV

pytestmark = pytest.mark.anyio

T0 = 1_767_225_600_000


async def test_top_answers_as_the_cli(workspace: Path, errlog: Path,
                                      capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ws = ["--workspace", str(workspace)]
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w1",
            "--ttl-seconds", "3600", "--json")
    run_cli(capsys, *ws, "verify", "AUTH", "AUTH1", "--json")
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 700_000))  # the server reads this clock too
    async with connect(*ws, errlog=errlog) as client:
        reply = await client.call("dos_top")
        listed = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    same_answer(reply, run_cli(capsys, *ws, "top", "--json"))
    (src,) = [row for row in reply.json["lanes"] if row["lane"] == "src"]
    assert (src["holder"], src["chip"], src["heartbeat_age_ms"]) == ("w1", "STALLED", 700_000)
    assert [v["syscall"] for v in reply.json["verdicts"]] == ["verify", "lease-lane"]
    assert reply.json["schema"] == {"family": "top", "version": 1}
    hints = listed["dos_top"].annotations
    assert hints is not None
    assert hints.read_only_hint is True
    assert set(listed["dos_top"].input_schema["properties"]) == {"workspace"}
