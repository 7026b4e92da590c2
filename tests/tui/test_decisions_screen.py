"""The decisions screen: a real refusal in the queue, resolved from the screen after a yes;
`dos decisions --json`, another process, no longer lists it and its history keeps who."""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.conftest import SIZE, desk_app, dos
from textual.widgets import DataTable, Input, Static

from dos.tui.confirm import ResolveDialog

pytestmark = pytest.mark.anyio


def _refusal(repo: Any) -> None:
    """agent-A holds src; agent-B asks for it and is refused (journaled)."""
    dos(repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-A")
    refused = dos(repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-B")
    assert refused.returncode == 1, refused.stdout


def _rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#queue", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def _queue(repo: Any) -> dict[str, Any]:
    payload: dict[str, Any] = dos(repo, "decisions", "--all", "--json")
    return payload


async def test_approving_a_refusal_takes_it_off_the_queue(plan_repo: Any) -> None:
    _refusal(plan_repo)
    [before] = [row for row in _queue(plan_repo)["rows"] if row["kind"] == "LEASE_REFUSE"]
    app = desk_app(plan_repo, "decisions", owner="operator-1")
    async with app.run_test(size=SIZE) as pilot:
        if not any(row[2] == "LEASE_REFUSE" for row in _rows(app)):
            await pilot.press("e")  # a refusal by a held lane settles without a person
        [index] = [i for i, row in enumerate(_rows(app)) if row[2] == "LEASE_REFUSE"]
        app.screen.query_one("#queue", DataTable).move_cursor(row=index)
        await pilot.press("enter")
        assert before["handle"] in str(app.screen.query_one("#detail", Static).content)
        await pilot.press("a")
        assert isinstance(app.screen, ResolveDialog)
        await pilot.press(*"agent-B may wait")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ResolveDialog)
        assert not any(row[2] == "LEASE_REFUSE" for row in _rows(app))
    after = _queue(plan_repo)
    assert before["handle"] not in [row["handle"] for row in after["rows"]]
    [decided] = [item for item in after["history"] if item["handle"] == before["handle"]]
    assert (decided["decision"], decided["owner"], decided["note"]) == (
        "approve", "operator-1", "agent-B may wait")


async def test_escape_in_the_dialog_resolves_nothing(plan_repo: Any) -> None:
    _refusal(plan_repo)
    app = desk_app(plan_repo, "decisions", owner="operator-1")
    app.desk.everything = True
    async with app.run_test(size=SIZE) as pilot:
        count = len(_rows(app))
        await pilot.press("x")
        assert isinstance(app.screen, ResolveDialog)
        assert "Dismiss #1" in str(app.screen.query_one("#question").content)
        await pilot.press("escape")
        assert len(_rows(app)) == count
    assert _queue(plan_repo)["history"] == []


async def test_without_an_owner_the_screen_says_how_to_name_one(plan_repo: Any) -> None:
    _refusal(plan_repo)
    app = desk_app(plan_repo, "decisions")
    app.desk.everything = True
    async with app.run_test(size=SIZE) as pilot:
        count = len(_rows(app))
        await pilot.press("a")
        app.screen.query_one("#note", Input).value = "x"
        await pilot.press("enter")
        await pilot.pause()
        assert len(_rows(app)) == count
        [shown] = [str(n.message) for n in app._notifications]
        assert "--owner" in shown
    assert _queue(plan_repo)["history"] == []
