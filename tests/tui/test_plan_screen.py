"""The plan screen: the board over a real repository, refreshed, with a drill-in."""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.conftest import SIZE, desk_app
from textual.widgets import DataTable, Static

pytestmark = pytest.mark.anyio


def _column(app: Any, table_id: str, index: int) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def _detail(app: Any) -> Static:
    return app.screen.query_one("#detail", Static)


async def test_the_board_shows_claim_beside_verdict(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "plan")
    async with app.run_test(size=SIZE):
        assert app.current_mode == "plan"
        assert _column(app, "#phases", 1) == ["AUTH1", "AUTH2", "AUTH3", "AUTH4"]
        assert _column(app, "#phases", 3) == ["✓shipped", "⚠over-claim", "✓under-claim",
                                              "·pending"]
        assert "2 DIVERGENT" in str(app.screen.query_one("#summary", Static).content)
        assert app.screen.title == "dos plan · desk"
        assert app.screen.sub_title == "2026-01-01T01:00:00+00:00"


async def test_enter_opens_the_selected_phase_and_escape_closes_it(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "plan")
    async with app.run_test(size=SIZE) as pilot:
        assert not _detail(app).display
        await pilot.press("down", "enter")
        text = str(_detail(app).content)
        assert _detail(app).display
        assert text.startswith("AUTH AUTH2   ⚠over-claim")
        assert "declared in  docs/auth-plan.md" in text
        assert "dos verify AUTH AUTH2" in text
        await pilot.press("escape")
        assert not _detail(app).display


async def test_refresh_sees_a_new_commit_and_keeps_the_open_phase(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "plan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        plan_repo.commit("AUTH2: password reset", {"src/reset.py": "r\n"})
        await pilot.press("r")
        assert _column(app, "#phases", 3)[1] == "✓shipped"
        assert str(_detail(app).content).startswith("AUTH AUTH2   ✓shipped")
        assert "AUTH2: password reset" in str(app.screen.query_one("#activity", Static).content)


async def test_the_timer_refreshes_without_a_key(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "plan", interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        plan_repo.commit("AUTH4: sessions", {"src/sessions.py": "s\n"})
        for _ in range(50):
            await pilot.pause(0.05)
            if _column(app, "#phases", 3)[3] == "✓under-claim":
                break
        assert _column(app, "#phases", 3)[3] == "✓under-claim"


async def test_q_quits(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "plan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running
