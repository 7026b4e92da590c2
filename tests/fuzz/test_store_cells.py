"""A store changed behind dos's back — any cell of any table set to the wrong type, out of
range, malformed or endlessly nested JSON, text that is not UTF-8, NULL, huge, or a row
deleted — gets STORE_UNREADABLE (74) or a normal verdict from every verb that reads it,
never an internal error (70) or a traceback, and nothing written outside the workspace.
(tests/store/conformance/test_cells.py pins one damage per cell kind; this explores.)"""

from __future__ import annotations

import json
import shutil
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.fuzz import check_contract, fuzz_settings, make_workspace, outside, run_dos
from tests.fuzz.store_cells import apply, damages, pg_apply, pg_schema, schema

from dos import run_id
from dos.hooks.dialects import load

RUN_ID = run_id.mint("worker").run_id
# Writes that leave a row in every table dos keeps.
WRITERS = [["lease-lane", "acquire", "--lane", "src", "--owner", "A", "--run-id", RUN_ID,
            "--pid", "4242"],
           ["lease-lane", "acquire", "--lane", "docs", "--owner", "B"],
           ["lease-lane", "release", "--lane", "docs", "--owner", "B"],
           ["id-alloc", "allocate", "next-up"], ["lease", "acquire", "o", "--name", "nightly"],
           ["halt", "--handle", "99", "--lane", "src", "--run-id", RUN_ID, "--owner", "op",
            "--resumable"],
           ["loop", "--record"]]
READERS = [["status", RUN_ID], ["lease-lane", "live"], ["--json", "lease-lane", "live"],
           ["journal", "tail"], ["journal", "verify"], ["journal", "replay"],
           ["journal", "export"], ["journal", "seq"], ["store", "status"], ["doctor"],
           ["liveness", "--run-id", RUN_ID, "--no-proc"], ["lease", "status", "--name",
                                                           "nightly"],
           ["id-alloc", "peek", "next-up"], ["arbitrate", "--lane", "docs"], ["trace", RUN_ID],
           ["loop"], ["cooldown", "AUTH1"],
           ["lease-lane", "acquire", "--lane", "docs", "--owner", "C", "--retries", "0"]]
EDIT = {"session_id": "B", "hook_event_name": "PreToolUse", "tool_name": "Write",
        "tool_input": {"file_path": "src/app.py"}}
STREAM = {"session_id": "A", "hook_event_name": "PostToolUse", "tool_name": "Bash",
          "tool_input": {"command": "ls"}, "tool_response": "same"}


def _populate(root: Path) -> None:
    for argv in WRITERS:
        ran = run_dos(argv, cwd=root)
        assert ran.code in (0, 1), (argv, ran)
    for _ in range(2):
        assert run_dos(["hook", "posttool"], cwd=root, stdin=json.dumps(
            {**STREAM, "cwd": str(root)}).encode()).code == 0


def _read_everything(workspace: Path) -> None:
    before = outside(workspace)
    for verb in READERS:
        argv = ["--workspace", str(workspace), *verb]
        ran = run_dos(argv, cwd=workspace)
        check_contract(verb[1] if verb[0] == "--json" else verb[0], ran, argv)
        if ran.code == 74:  # `store status` reports it on stdout, as its answer
            assert (ran.err + ran.out).strip(), (argv, ran)
    ran = run_dos(["hook", "pretool"], cwd=workspace,
                  stdin=json.dumps({**EDIT, "cwd": str(workspace)}).encode())
    assert ran.code in load("claude-code").exit_codes, ran
    assert "Traceback" not in ran.err, ran
    assert outside(workspace) == before, "a run wrote outside the workspace"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace whose store holds leases (live and released), journal records, a
    counter, a mutex, a halt, a roster plan and a tool stream; kept aside as pristine."""
    root = tmp_path / "ws"
    root.mkdir()
    make_workspace(root)
    _populate(root)
    shutil.copytree(root / ".dos", tmp_path / "store-outside-pristine")
    return root


def _restore(workspace: Path) -> Path:
    shutil.rmtree(workspace / ".dos")
    shutil.copytree(workspace.parent / "store-outside-pristine", workspace / ".dos")
    return workspace / ".dos" / "dos.db"


@fuzz_settings(12, 600)
@given(data=st.data())
def test_a_damaged_cell_is_unreadable_or_a_verdict(workspace: Path, data: st.DataObject) -> None:
    database = _restore(workspace)
    found = data.draw(st.lists(damages(schema(database)), min_size=1, max_size=3),
                      label="damage")
    apply(database, found)
    _read_everything(workspace)


@pytest.fixture
def pg_workspaces(tmp_path: Path, postgres_url: str) -> Callable[[], Path]:
    """``fresh()``: a populated workspace of its own on the test PostgreSQL server."""
    made = iter(range(1_000_000))

    def fresh() -> Path:
        root = tmp_path / f"ws{next(made)}"
        root.mkdir()
        make_workspace(root)
        with (root / "dos.toml").open("a", encoding="utf-8") as handle:
            handle.write(f'\n[store]\nurl = "{postgres_url}"\n'
                         f'workspace_id = "fuzz-{uuid.uuid4().hex}"\n')
        _populate(root)
        return root
    return fresh


@fuzz_settings(4, 100)
@given(data=st.data())
def test_a_damaged_postgres_cell_is_unreadable_or_a_verdict(
        pg_workspaces: Callable[[], Path], postgres_url: str, data: st.DataObject) -> None:
    root = pg_workspaces()
    workspace_id = tomllib.loads((root / "dos.toml").read_text())["store"]["workspace_id"]
    found = data.draw(st.lists(damages(pg_schema(postgres_url, workspace_id)), min_size=1,
                               max_size=3), label="damage")
    pg_apply(postgres_url, workspace_id, found)
    _read_everything(root)
