"""The picker tools over a real stdio session answer exactly as their CLI verbs, and
refuse what the verbs refuse: a quoted "false", a misspelt key, a path outside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import connect, run_cli, same_answer

pytestmark = pytest.mark.anyio

PLAN = "id: AUTH\n## AUTH1 — login\n### AUTH1.1 — form\n## AUTH2 — reset\n"
PICKS = [{"phase": "AUTH3", "drop_reason": "soft_claimed"}]


def _cases() -> list[tuple[str, dict[str, Any], list[str]]]:
    return [
        ("dos_enumerate", {"plan_doc": "docs/auth-plan.md"},
         ["enumerate", "docs/auth-plan.md"]),
        ("dos_enumerate", {"plan_doc": "docs/auth-plan.md", "shipped": ["AUTH2"],
                           "min_grade": "subject"},
         ["enumerate", "docs/auth-plan.md", "--shipped", '["AUTH2"]', "--min-grade",
          "subject"]),
        ("dos_pickable", {"unit": "AUTH2", "state": {"plan_class": "draft"}},
         ["pickable", "AUTH2", "--state", '{"plan_class": "draft"}']),
        ("dos_pickable", {"state": {"cooldown_until_ms": 5}, "now_ms": 1},
         ["pickable", "--state", '{"cooldown_until_ms": 5}', "--now-ms", "1"]),
        ("dos_reconcile", {"unit": "AUTH1", "claimed_done": True, "plan": "AUTH"},
         ["reconcile", "AUTH1", "--claimed-done", "--plan", "AUTH"]),
        ("dos_reconcile", {"unit": "AUTH2", "claimed_done": True, "plan": "AUTH"},
         ["reconcile", "AUTH2", "--claimed-done", "--plan", "AUTH"]),
        ("dos_gate", {"picks": PICKS, "explain": True},
         ["gate", "--picks-json", json.dumps(PICKS), "--explain"]),
        ("dos_scout", {"state": {"health": {"action": "route_replan"}, "open_soaks": ["S"]}},
         ["scout", "--state-json", '{"health": {"action": "route_replan"}, '
                                   '"open_soaks": ["S"]}']),
        ("dos_health", {"lane": "src"}, ["health", "--lane", "src"]),
        ("dos_pick_priority", {"units": ["AUTH2", "AUTH1"]},
         ["pick-priority", "AUTH2", "AUTH1"]),
        ("dos_next", {"owner": "w1", "plans": ["docs/auth-plan.md"], "dry_run": True},
         ["next", "--owner", "w1", "--plan", "docs/auth-plan.md", "--dry-run"]),
    ]


async def test_each_picker_tool_answers_as_its_cli_verb(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workspace / "docs").mkdir(exist_ok=True)
    (workspace / "docs" / "auth-plan.md").write_text(PLAN, encoding="utf-8")
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments, _ in _cases()]
    for (tool, arguments, argv), reply in zip(_cases(), replies, strict=True):
        try:
            same_answer(reply, run_cli(capsys, *ws, *argv, "--json"))
        except AssertionError as error:
            raise AssertionError(f"{tool} {arguments} differs from dos {argv}") from error
    assert [reply.exit_code for reply in replies] == [3, 3, 10, 23, 0, 3, 5, 5, 0, 0, 0]


async def test_bad_arguments_are_errors_not_verdicts(workspace: Path, errlog: Path,
                                                     tmp_path: Path) -> None:
    outside = tmp_path / "outside-plan.md"
    outside.write_text(PLAN, encoding="utf-8")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = [
            await client.call("dos_pickable", unit="AUTH2", state={"shipped": "false"}),
            await client.call("dos_pickable", unit="AUTH2", state={"shiped": True}),
            await client.call("dos_scout", state={"resource_blocked": "false"}),
            await client.call("dos_gate", picks=[{"phase": "A1", "drop_reason": "softclaimed"}]),
            await client.call("dos_gate"),
            await client.call("dos_enumerate", plan_doc=str(outside)),
            await client.call("dos_reconcile", unit="AUTH1", oracle_shipped="yes"),
            await client.call("dos_health", lane="nowhere"),
        ]
    for reply in replies:
        assert reply.is_error, reply.text
        assert reply.exit_code == 2, reply.text
        assert "dos: error:" in reply.text


async def test_dos_next_leases_one_unit_per_worker(workspace: Path, errlog: Path) -> None:
    (workspace / "docs").mkdir(exist_ok=True)
    (workspace / "docs" / "auth-plan.md").write_text(PLAN, encoding="utf-8")
    plans = ["docs/auth-plan.md"]
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        dry = await client.call("dos_next", owner="w1", plans=plans, dry_run=True)
        first = await client.call("dos_next", owner="w1", plans=plans, lane="src")
        second = await client.call("dos_next", owner="w2", plans=plans, lane="src")
        third = await client.call("dos_next", owner="w3", plans=plans, lane="src")
        tools = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    assert (dry.exit_code, dry.json["lease"], dry.json["unit"]) == (0, None, "AUTH1.1")
    assert (first.exit_code, first.json["unit"]) == (0, "AUTH1.1")
    assert first.json["lease"]["loop_ts"] == "unit:AUTH/AUTH1.1"
    assert (second.exit_code, second.json["unit"]) == (0, "AUTH2")
    assert (third.exit_code, third.json["because"]) == (4, "ALL_LEASED")
    hints = tools["dos_next"].annotations
    assert hints is not None
    assert hints.read_only_hint is False
