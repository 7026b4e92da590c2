"""The lifecycle tool over a real stdio session answers as `dos plan --lifecycle --json`,
and starts no program a workspace's judge settings name."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests._support.git import GIT_ENV
from tests._support.mcp import connect, run_cli, same_answer

pytestmark = pytest.mark.anyio


def _plan(workspace: Path) -> None:
    doc = workspace / "docs" / "auth-plan.md"
    doc.write_text("id: AUTH\n\n## AUTH1 — login\n", encoding="utf-8")
    for argv in (["add", "-A"], ["commit", "-q", "-m", "docs: the auth plan"]):
        subprocess.run(["git", *argv], cwd=workspace, env={**os.environ, **GIT_ENV},
                       check=True)


async def test_the_tick_answers_as_the_cli(workspace: Path, errlog: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _plan(workspace)
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", "1800000000000")  # the server's clock too
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        reply = await client.call("dos_plan_lifecycle", judge="similarity")
    same_answer(reply, run_cli(capsys, *ws, "plan", "--lifecycle", "--judge", "similarity",
                               "--json"))
    assert reply.json["ready"] == [{"doc": "docs/auth-plan.md", "from": "active", "to": "done"}]
    assert reply.json["plans"][0]["ruling"]["stance"] == "AGREE"


async def test_a_judge_that_runs_a_program_is_refused(workspace: Path, errlog: Path) -> None:
    _plan(workspace)
    with (workspace / "dos.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[judges.llm]\ncommand = ["touch", "pwned"]\n')
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        reply = await client.call("dos_plan_lifecycle", judge="llm")
    assert reply.is_error
    assert reply.exit_code == 2
    assert "program" in reply.text
    assert not (workspace / "pwned").exists()
