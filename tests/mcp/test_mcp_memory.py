"""`dos_memory` over a real stdio session answers exactly as `dos memory … --json`, reading
the host's store for the server's workspace, and refuses a name that is a path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import connect, run_cli, same_answer
from tests.truth.test_memory_cases import host_store

from dos.config import load_workspace_config
from dos.store import reading

pytestmark = pytest.mark.anyio


def _journal(workspace: Path) -> list[Any]:
    with reading(load_workspace_config(workspace)) as tx:
        return [] if tx is None else tx.journal_records()


async def test_dos_memory_answers_as_the_cli(workspace: Path, errlog: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    store = host_store(workspace)
    store.mkdir(parents=True)
    (store / "login.md").write_text("`login` is defined in src/auth.py.\n", encoding="utf-8")
    (store / "gone.md").write_text("src/auth.py was deleted.\n", encoding="utf-8")
    ws = ["--workspace", str(workspace)]
    cases = [({"action": "verify"}, ["memory", "verify"]),
             ({"action": "recall", "note": "login", "explain": True},
              ["memory", "recall", "login", "--explain"]),
             ({"action": "recall", "note": "gone"}, ["memory", "recall", "gone"])]
    async with connect(*ws, errlog=errlog) as client:
        listed = {tool.name: tool for tool in (await client.session.list_tools()).tools}
        replies = [await client.call("dos_memory", **arguments) for arguments, _ in cases]
        escape = await client.call("dos_memory", action="recall", note="../../etc/passwd")
        nameless = await client.call("dos_memory", action="recall")
    for (_, argv), reply in zip(cases, replies, strict=True):
        same_answer(reply, run_cli(capsys, *ws, *argv, "--json"))
    assert [reply.exit_code for reply in replies] == [3, 0, 3]
    # routing writes the store: a read-only tool never routes, and says where routing is
    assert set(listed["dos_memory"].input_schema["properties"]) == {
        "action", "note", "explain", "workspace"}
    assert "dos memory verify --route" in (listed["dos_memory"].description or "")
    assert not (workspace / ".dos" / "dos.db").exists() or not any(
        record.op == "MEMORY_STALE" for record in _journal(workspace))
    assert escape.is_error
    assert "is not a memory name" in escape.text
    assert nameless.is_error
    assert "recall needs a note" in nameless.text
