"""`dos hook pretool` on a PostgreSQL store remembers the store view as it does for
SQLite: the second call decides without the config loader, and a remembered view that
names another workspace of the shared database is ignored and rebuilt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests._support.postgres import PgWorkspace, child_env, write_workspace

from dos.hooks.store_view import CACHE_NAME

# One decision in a fresh interpreter through the CLI's entry; then the modules it loaded.
_PROBE = """\
import sys
before = set(sys.modules)
from dos.cli import main
code = main(["hook", "pretool"])
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(set(sys.modules) - before)) + "\\n")
sys.exit(code)
"""


def _decide(ws: PgWorkspace, rel: str) -> tuple[str, set[str]]:
    payload = {"session_id": "session-B", "cwd": str(ws.path), "hook_event_name": "PreToolUse",
               "tool_name": "Edit", "tool_input": {"file_path": str(ws.path / rel)}}
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ws.path, check=False,
                          input=json.dumps(payload), capture_output=True, text=True,
                          env=child_env(), timeout=60)
    head, _, modules = done.stderr.rpartition("\nMODULES ")
    assert done.returncode == 0, done.stderr
    assert head == "", head
    answer = json.loads(done.stdout)["hookSpecificOutput"]["permissionDecision"] \
        if done.stdout.strip() else ""
    return answer, set(modules.split())


def _held(tmp_path: Path, postgres_url: str, workspace_id: str) -> PgWorkspace:
    ws = write_workspace(tmp_path / "ws", postgres_url, workspace_id)
    assert ws.proc("lease-lane", "acquire", "--lane", "api", "--owner", "session-A").code == 0
    return ws


def test_the_view_is_remembered_for_a_postgres_store(
        tmp_path: Path, postgres_url: str, workspace_id: str) -> None:
    ws = _held(tmp_path, postgres_url, workspace_id)
    assert _decide(ws, "src/api/a.py")[0] == "deny"
    memo = json.loads((ws.path / ".dos" / CACHE_NAME).read_text(encoding="utf-8"))
    assert memo["view"]["store_url"] == postgres_url
    assert memo["view"]["workspace_id"] == workspace_id
    for rel, expected in (("src/api/a.py", "deny"), ("src/core/b.py", "")):
        answer, modules = _decide(ws, rel)
        assert answer == expected
        assert sorted(modules & {"dos.config", "tomllib", "dos.settings"}) == []
        assert "dos.store.postgres_tx" in modules  # it did read the shared store
        if os.environ.get("DOS_PG_DRIVER", "auto") != "psycopg":
            assert "psycopg" not in modules


def test_a_view_of_another_workspace_is_ignored(
        tmp_path: Path, postgres_url: str, workspace_id: str) -> None:
    ws = _held(tmp_path, postgres_url, workspace_id)
    assert _decide(ws, "src/api/a.py")[0] == "deny"
    path = ws.path / ".dos" / CACHE_NAME
    original = json.loads(path.read_text(encoding="utf-8"))
    forged = json.loads(json.dumps(original))
    forged["view"]["workspace_id"] = "some-other-workspace"  # one that holds no lease
    path.write_text(json.dumps(forged), encoding="utf-8")
    answer, modules = _decide(ws, "src/api/a.py")
    assert answer == "deny"
    assert "dos.config" in modules  # the loader answered
    assert json.loads(path.read_text(encoding="utf-8")) == original
