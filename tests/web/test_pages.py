"""The pages carry the hooks the module docstring of dos.web.views promises, drawn
from the same answers as the API; the drill-in and the fragment refresh work."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import dos, take_leases

pytestmark = pytest.mark.anyio


async def test_top_shows_each_lane_with_its_holder_and_chip(
        workspace: Path, client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]) -> None:
    empty = await client.get("/")
    assert 'data-lane="src" data-chip="FREE"' in empty.text
    take_leases(capsys, workspace)
    page = (await client.get("/")).text
    assert 'data-page="top"' in page
    assert 'data-lane="src" data-chip="ADVANCING" data-holder="w1"' in page
    assert 'data-lane="docs" data-chip="ADVANCING" data-holder="w2"' in page
    assert 'id="verdicts"' in page
    assert 'data-syscall="verify"' in page
    assert '<a href="/decisions" data-nav="decisions">' in page


async def test_decisions_drill_in_and_fragment(
        workspace: Path, client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]) -> None:
    take_leases(capsys, workspace)
    page = (await client.get("/decisions")).text
    rows = re.findall(r'<tr data-decision="(h[0-9a-f]{10})" data-number="(\d+)" '
                      r'data-kind="([A-Z_]+)"', page)
    assert rows
    assert rows[0][2] == "LIVENESS"
    handle, number, _kind = rows[0]
    assert f'data-resolve="{handle}"' in page
    assert f'href="/decisions/{handle}" data-drill="{handle}"' in page
    _code, shown = dos(capsys, workspace, "decisions", "show", number, "--json")
    for path in (f"/decisions/{handle}", f"/decisions/{number}"):
        drill = (await client.get(path)).text
        assert f'<section id="decision" data-decision="{handle}">' in drill
        assert 'data-field="proposed_command">kill 42<' in drill
    assert '"proposed_command": "kill 42"' in shown
    every = (await client.get("/decisions?all=1")).text
    assert 'data-all="true"' in every
    assert len(re.findall(r"<tr data-decision=", every)) > len(rows)
    fragment = await client.get("/decisions", headers={"X-Dos-Fragment": "1"})
    assert fragment.text.startswith('<section id="queue"')
    assert "<html" not in fragment.text
    missing = await client.get("/decisions/h0000000000")
    assert missing.status_code == 404
    assert 'id="error" data-status="404"' in missing.text
    assert (await client.get("/api/decisions/999")).status_code == 404


async def test_plan_and_observe_pages(workspace: Path, client: httpx.AsyncClient,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    take_leases(capsys, workspace)
    plan = (await client.get("/plan")).text
    assert 'data-phase="AUTH/AUTH1" data-divergent="false"' in plan
    assert 'data-phase="AUTH/AUTH2" data-divergent="true"' in plan  # claimed, not shipped
    observe = (await client.get("/observe?by=source")).text
    assert 'id="chain" data-ok="true"' in observe
    assert '<tr data-value="cli">' in observe
    bad = await client.get("/observe?tail=0")
    assert bad.status_code == 400
    assert 'data-status="400"' in bad.text


async def test_the_static_files_are_the_packages(client: httpx.AsyncClient) -> None:
    script = await client.get("/static/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert 'new EventSource("/events")' in script.text
    assert "X-Dos-Fragment" in script.text
    style = await client.get("/static/app.css")
    assert style.headers["content-type"].startswith("text/css")
