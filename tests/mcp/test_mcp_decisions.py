"""``dos_decisions`` over a real stdio session answers exactly as ``dos decisions
--json`` (with and without ``--all``), reads only, and an override made through
``dos_arbitrate`` with ``force`` shows in the history with who made it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer

from dos.store import TEST_CLOCK_ENV

pytestmark = pytest.mark.anyio

T0 = 1_800_000_000_000


async def test_decisions_answers_as_the_cli(workspace: Path, errlog: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ws = ["--workspace", str(workspace)]
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))  # both sides read the same clock: same ages
    monkeypatch.setenv("DOS_OWNER", "mcp-operator")
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w1", "--json")
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "global", "--owner", "w2", "--json")
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w3", "--json")
    run_cli(capsys, *ws, "halt", "--handle", "42", "--lane", "src", "--command", "kill 42",
            "--json")
    async with connect(*ws, errlog=errlog) as client:
        forced = await client.call("dos_arbitrate", lane="src", force=True)
        shown = await client.call("dos_decisions")
        everything = await client.call("dos_decisions", all_rows=True, since="1h")
        bad = await client.call("dos_decisions", since="yesterday-ish")
        listed = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    assert forced.json["outcome"] == "acquire"
    same_answer(shown, run_cli(capsys, *ws, "decisions", "--json"))
    same_answer(everything, run_cli(capsys, *ws, "decisions", "--all", "--since", "1h",
                                    "--json"))
    assert [(r["kind"], r["resolver_kind"]) for r in shown.json["rows"]] == [
        ("LIVENESS", "HUMAN"), ("LEASE_REFUSE", "HUMAN")]
    assert [r["resolver_kind"] for r in everything.json["rows"]] == [
        "HUMAN", "HUMAN", "BACKPRESSURE"]
    assert [(h["decision"], h["kind"], h["owner"]) for h in everything.json["history"]] == [
        ("override", "ARBITRATE_FORCE", "mcp-operator")]
    assert bad.is_error
    assert "is not a time" in bad.text
    hints = listed["dos_decisions"].annotations
    assert hints is not None
    assert hints.read_only_hint is True
    assert set(listed["dos_decisions"].input_schema["properties"]) == {
        "all_rows", "since", "workspace"}
