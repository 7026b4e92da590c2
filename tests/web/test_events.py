"""Pages follow the store through one watcher per server: SQLite by polling the
journals' heads, PostgreSQL by LISTEN/NOTIFY (the slow poll pushed out of the way, so
only the notice can deliver in time). Real servers, real leases through the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests._support.postgres import write_workspace
from tests.web.conftest import dos
from tests.web.live import EventReader, serving

from dos.web import create_app
from dos.web import watch as watch_module
from dos.web.watch import PgWaker
from dos.workspace import load_config


def test_sqlite_changes_reach_every_page_from_one_watcher(
        workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(load_config(str(workspace), None), owner="alice", poll_s=0.1,
                     tick_s=0.5)
    assert app.state.watcher.waker is None  # SQLite: polled
    with serving(app) as url:
        first, second = EventReader(url), EventReader(url)
        try:
            assert first.next()[0] == "hello"
            assert second.next()[0] == "hello"
            dos(capsys, workspace, "lease-lane", "acquire", "--lane", "src", "--owner", "w1")
            for reader in (first, second):
                _name, heads = reader.until("change", 1)
                assert heads["ops"] >= 1
            assert len(app.state.watcher._subscribers) == 2
            assert first.until("tick", 1)[0] == "tick"  # ages move with the clock alone
        finally:
            first.close()
            second.close()


@pytest.mark.postgres
def test_postgres_changes_arrive_by_notify(tmp_path: Path, postgres_url: str,
                                           workspace_id: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_module, "PG_POLL_S", 60.0)  # only a notice wakes it in time
    pg = write_workspace(tmp_path / "ws", postgres_url, workspace_id)
    assert pg.run("lease-lane", "acquire", "--lane", "docs", "--owner", "w0").code == 0
    app = create_app(pg.config(), owner="alice", tick_s=60.0)
    assert isinstance(app.state.watcher.waker, PgWaker)
    with serving(app) as url:
        reader = EventReader(url)
        try:
            assert reader.next()[0] == "hello"
            reader.until("change", 1)  # the first probe, at start
            waker = app.state.watcher.waker
            deadline = time.monotonic() + 5
            while not waker._open:  # the watcher is now waiting on LISTEN
                assert time.monotonic() < deadline, "the watcher never listened"
                time.sleep(0.02)
            started = time.monotonic()
            assert pg.run("lease-lane", "acquire", "--lane", "src", "--owner", "w1").code == 0
            _name, heads = reader.until("change", 2, timeout=10)
            assert time.monotonic() - started < 10
            assert heads["ops"] >= 2
        finally:
            reader.close()
