"""A tool argument cannot point the server outside its workspace, unless the server was
started with --allow-any-workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import TRANSCRIPT, connect, run_cli, same_answer

from dos.errors import UsageError
from dos_mcp.confine import Confinement

pytestmark = pytest.mark.anyio


@pytest.fixture
def outside(git_repo: Any) -> Path:
    """A second repository beside the workspace, with its own transcript."""
    repo = git_repo("elsewhere")
    repo.commit("AUTH1: ship it elsewhere", {"src/a.py": "a = 1\n"})
    repo.write("t.jsonl", TRANSCRIPT)
    return repo.path


def _escapes(workspace: Path, outside: Path) -> list[tuple[str, dict[str, Any]]]:
    (workspace / "link").symlink_to(outside, target_is_directory=True)
    (workspace / "runs" / "leak.jsonl").symlink_to(outside / "t.jsonl")
    verify = {"plan": "AUTH", "phase": "AUTH1"}
    return [
        ("dos_verify", {**verify, "workspace": str(outside)}),
        ("dos_verify", {**verify, "workspace": "../elsewhere"}),
        ("dos_verify", {**verify, "workspace": "src/../../elsewhere"}),
        ("dos_verify", {**verify, "workspace": "link"}),
        ("dos_lease_acquire", {"owner": "w", "lane": "src", "workspace": str(outside)}),
        ("dos_doctor", {"workspace": "/"}),
        ("dos_verify_result", {"transcript": str(outside / "t.jsonl")}),
        ("dos_verify_result", {"transcript": "../elsewhere/t.jsonl"}),
        ("dos_verify_result", {"transcript": "link/t.jsonl"}),
        ("dos_verify_result", {"transcript": "runs/leak.jsonl"}),
    ]


async def test_paths_outside_the_workspace_are_refused(workspace: Path, outside: Path,
                                                       errlog: Path) -> None:
    escapes = _escapes(workspace, outside)
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments in escapes]
        inside = await client.call("dos_verify", plan="AUTH", phase="AUTH1", workspace="src/..")
    for (tool, arguments), reply in zip(escapes, replies, strict=True):
        assert reply.is_error, (tool, arguments, reply.text)
        assert reply.exit_code == 2
        assert "outside the server's workspace" in reply.structured["error"], reply.text
        assert "--allow-any-workspace" in reply.structured["hint"]
    assert not inside.is_error
    assert inside.json["shipped"] is True
    assert not (outside / ".dos").exists()  # the refused acquire wrote nothing there


async def test_allow_any_workspace_lets_them_through(workspace: Path, outside: Path,
                                                     errlog: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    async with connect("--workspace", str(workspace), "--allow-any-workspace",
                       errlog=errlog) as client:
        verdict = await client.call("dos_verify", plan="AUTH", phase="AUTH1",
                                    workspace=str(outside))
        result = await client.call("dos_verify_result", transcript="../elsewhere/t.jsonl")
    same_answer(verdict, run_cli(capsys, "--workspace", str(outside), "verify", "AUTH", "AUTH1",
                                 "--json"))
    assert verdict.json["summary"].endswith("AUTH1: ship it elsewhere")
    same_answer(result, run_cli(capsys, "verify-result", "--transcript",
                                str(outside / "t.jsonl"), "--json"))


def test_confinement_resolves_before_it_checks(tmp_path: Path) -> None:
    root = (tmp_path / "root").resolve()
    (root / "sub").mkdir(parents=True)
    (tmp_path / "away").mkdir()
    (root / "up").symlink_to(tmp_path / "away")
    (root / "loop").symlink_to(root / "loop")
    fence = Confinement(root)
    assert fence.workspace(None) == fence.workspace("  ") == root
    assert fence.workspace("sub") == fence.workspace(str(root / "sub")) == root / "sub"
    assert fence.workspace("sub/..") == root
    assert fence.file("t.jsonl", base=root / "sub", what="transcript") == root / "sub" / "t.jsonl"
    for escape in ("..", "../away", "up", "sub/../../away", str(tmp_path), "~"):
        with pytest.raises(UsageError, match="outside the server's workspace"):
            fence.workspace(escape)
    with pytest.raises(UsageError, match="outside"):
        fence.file("../../away/t.jsonl", base=root / "sub", what="transcript")
    with pytest.raises(UsageError, match="NUL"):
        fence.file("t\0.jsonl", base=root, what="transcript")
    with pytest.raises(UsageError, match="not a directory"):
        fence.workspace("missing")
    with pytest.raises(UsageError):
        fence.file("loop/x", base=root, what="transcript")
    assert Confinement(root, allow_any=True).workspace("../away") == (tmp_path / "away").resolve()
