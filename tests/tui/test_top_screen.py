"""The top screen follows a lane held by another process: acquired, released, stale."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from tests.tui.conftest import NOW_MS, SIZE, desk_app, dos
from textual.widgets import DataTable, Static

from dos.store import TEST_CLOCK_ENV

pytestmark = pytest.mark.anyio


@pytest.fixture
def holder() -> Iterator[subprocess.Popen[bytes]]:
    """Another process on this machine: the worker a lease is taken for."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield proc
    proc.kill()
    proc.wait()


def _lane(app: Any, lane: str) -> dict[str, str]:
    table = app.screen.query_one("#lanes", DataTable)
    columns = [str(column.label) for column in table.columns.values()]
    rows = [dict(zip(columns, map(str, table.get_row_at(index)), strict=True))
            for index in range(table.row_count)]
    (row,) = [row for row in rows if row["lane"].strip(" *") == lane]
    return row


def _chip(repo: Any, lane: str) -> str:
    """What `dos top --json` (another process) says the lane's chip is."""
    (row,) = [row for row in dos(repo, "top", "--json")["lanes"] if row["lane"] == lane]
    return str(row["chip"])


async def test_acquired_released_and_stalled_by_its_process(
        plan_repo: Any, holder: subprocess.Popen[bytes]) -> None:
    app = desk_app(plan_repo, "top")
    async with app.run_test(size=SIZE) as pilot:
        assert _lane(app, "src")["chip"] == "FREE"
        dos(plan_repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-7",
            "--pid", str(holder.pid))
        await pilot.press("r")
        row = _lane(app, "src")
        assert (row["holder"], row["chip"]) == ("agent-7", "ADVANCING")
        assert _chip(plan_repo, "src") == "ADVANCING"
        assert "1 advancing" in str(app.screen.query_one("#totals", Static).content)

        holder.kill()
        holder.wait()
        await pilot.press("r")
        assert _lane(app, "src")["chip"] == "STALLED" == _chip(plan_repo, "src")
        await pilot.press("enter")
        assert "holder     agent-7" in str(app.screen.query_one("#detail", Static).content)

        dos(plan_repo, "lease-lane", "release", "--lane", "src", "--owner", "agent-7")
        await pilot.press("r")
        assert _lane(app, "src")["chip"] == "FREE" == _chip(plan_repo, "src")
        assert _lane(app, "src")["holder"] == "-"
        assert not app.screen.query_one("#detail", Static).display  # its lease row is gone


async def test_a_lease_past_its_ttl_goes_stalled(plan_repo: Any, holder: subprocess.Popen[bytes],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(NOW_MS))
    dos(plan_repo, "lease-lane", "acquire", "--lane", "docs", "--owner", "agent-9",
        "--pid", str(holder.pid), "--ttl-seconds", "60", at_ms=NOW_MS)
    app = desk_app(plan_repo, "top")
    async with app.run_test(size=SIZE) as pilot:
        assert (_lane(app, "docs")["chip"], _lane(app, "docs")["lease"]) == ("ADVANCING", "0s")
        monkeypatch.setenv(TEST_CLOCK_ENV, str(NOW_MS + 90_000))
        await pilot.press("r")
        row = _lane(app, "docs")
        assert (row["chip"], row["lease"], row["heartbeat"]) == ("STALLED", "1m", "1m")
        assert "expired" in row["why"]
        assert app.screen.sub_title == "2026-01-01T01:01:30Z"


async def test_a_refresh_reads_on_from_the_previous_frame(plan_repo: Any) -> None:
    app = desk_app(plan_repo, "top")
    async with app.run_test(size=SIZE) as pilot:
        first = app.desk.top_cursor
        dos(plan_repo, "lease-lane", "acquire", "--lane", "docs", "--owner", "agent-3")
        await pilot.press("r")
        assert app.desk.top_cursor is not None
        assert first is not None
        assert app.desk.top_cursor.verdict_seq > first.verdict_seq
        assert "lease-lane" in str(app.screen.query_one("#verdicts", Static).content)


async def test_pending_counts_the_decisions_waiting_on_the_lane(plan_repo: Any) -> None:
    dos(plan_repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-7")
    dos(plan_repo, "halt", "--handle", "4242", "--lane", "src", "--owner", "watchdog",
        "--command", "kill -TERM 4242")
    app = desk_app(plan_repo, "top")
    async with app.run_test(size=SIZE):
        assert _lane(app, "src")["pending"] == "1"
        assert _lane(app, "docs")["pending"] == "-"
    by_lane = {row["lane"]: row["pending_decisions"] for row in dos(plan_repo, "top",
                                                                   "--json")["lanes"]}
    assert by_lane == {"src": 1, "docs": 0, "global": 0}


async def test_a_store_that_stops_answering_keeps_the_last_frame_and_says_so(
        plan_repo: Any) -> None:
    dos(plan_repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-7")
    app = desk_app(plan_repo, "top")
    async with app.run_test(size=SIZE) as pilot:
        assert _lane(app, "src")["holder"] == "agent-7"
        store = plan_repo.path / ".dos" / "dos.db"
        for extra in store.parent.glob("dos.db-*"):
            extra.unlink()
        store.write_bytes(b"not a database at all" * 100)
        await pilot.press("r")
        await pilot.pause()
        assert app.is_running
        assert _lane(app, "src")["holder"] == "agent-7"
        [note] = [str(n.message) for n in app._notifications]
        assert "is not an SQLite database" in note
        assert "\n  fix: " in note
