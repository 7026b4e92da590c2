"""``dos_projects`` and ``dos_learn`` over a real stdio session answer exactly as
``dos projects --json`` and ``dos learn AXIS --json``, read only, and create nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import DOS_TOML, connect, run_cli, same_answer

from dos.store import TEST_CLOCK_ENV

pytestmark = pytest.mark.anyio

T0 = 1_800_000_000_000


async def test_projects_and_learn_answer_as_the_cli(
        workspace: Path, errlog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ws = ["--workspace", str(workspace)]
    home = tmp_path / "home"
    monkeypatch.setenv("DOS_HOME", str(home))
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    async with connect(*ws, errlog=errlog) as client:
        empty = await client.call("dos_projects")
    assert empty.json["projects"] == []
    assert not home.exists()  # a read creates no registry

    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w1", "--json")
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w2", "--json")
    async with connect(*ws, errlog=errlog) as client:
        listed = await client.call("dos_projects")
        stale = await client.call("dos_projects", stale=True, idle_days=1)
        refusals = await client.call("dos_learn", axis="lane-refusals")
        bad_axis = await client.call("dos_learn", axis="everything")
        bad_days = await client.call("dos_projects", idle_days=0)
        tools = {tool.name: tool for tool in (await client.session.list_tools()).tools}
    same_answer(listed, run_cli(capsys, *ws, "projects", "--json"))
    same_answer(refusals, run_cli(capsys, *ws, "learn", "lane-refusals", "--json"))
    assert [row["label"] for row in listed.json["projects"]] == ["ws"]
    assert stale.json["projects"] == []
    assert refusals.json["groups"] == [{"group": "src", "count": 1}]
    assert bad_axis.is_error
    assert bad_days.is_error
    for name in ("dos_projects", "dos_learn"):
        hints = tools[name].annotations
        assert hints is not None
        assert hints.read_only_hint is True


async def test_a_confined_server_withholds_other_projects_directories(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str],
        git_repo: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry is the user's: a server confined to one workspace lists the others
    (their ids, labels, history) but not where they are on disk, and the moves of its own
    project only where they stay inside; --allow-any-workspace shows every path."""
    monkeypatch.setenv("DOS_HOME", str(workspace.parent / "home"))
    other = git_repo("secret-elsewhere")
    other.commit("base", {"dos.toml": DOS_TOML})
    for root in (workspace, other.path):
        run_cli(capsys, "--workspace", str(root), "lease-lane", "acquire", "--lane", "src",
                "--owner", "w1", "--json")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        confined = await client.call("dos_projects")
    async with connect("--workspace", str(workspace), "--allow-any-workspace",
                       errlog=errlog) as client:
        unconfined = await client.call("dos_projects")
    cli = run_cli(capsys, "--workspace", str(workspace), "projects", "--json").json
    roots = {row["label"]: row["root"] for row in confined.json["projects"]}
    assert roots == {"ws": str(workspace.resolve()), "secret-elsewhere": None}
    assert str(other.path) not in confined.text
    assert unconfined.json == cli
    assert {row["root"] for row in cli["projects"]} == {str(workspace.resolve()),
                                                      str(other.path.resolve())}
