"""Whatever `dos.toml` holds — wrong types, numbers that are not finite or do not fit,
path escapes, unknown keys, nesting without end, text that is not TOML or not UTF-8 —
every verb that loads it answers with a documented exit (2 for a config it refuses),
never a traceback, and writes nothing outside the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import event, given
from tests._support.fuzz import check_contract, fuzz_settings, make_workspace, outside, run_dos
from tests.fuzz.config_documents import document_bytes, lifecycle_tables

from dos import run_id
from dos.hooks.dialects import load
from dos.settings import SchemaProblem
from dos.settings.lifecycle import TRIGGERS, parse_lifecycle

RUN_ID = run_id.mint("worker").run_id
# A sample of verbs that load the whole config, each reading different tables.
VERBS = [["verify", "AUTH", "AUTH1"], ["status", RUN_ID], ["lint"], ["doctor"],
         ["lease-lane", "acquire", "--lane", "src", "--owner", "A", "--retries", "0"],
         ["lease-lane", "release", "--lane", "src", "--owner", "A"],
         ["scope-gate", "--lane", "src", "--file", "src/app.py"],
         ["liveness", "--run-id", RUN_ID, "--no-proc"], ["plan", "--lifecycle"]]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    repo = make_workspace(tmp_path / "ws")
    repo.commit("docs: the auth plan", {"docs/auth-plan.md": "id: AUTH\nclass: active\n"
                                                             "## AUTH1 — login\n"})
    return tmp_path / "ws"


def _edit(workspace: Path) -> bytes:
    return json.dumps({"session_id": "S", "cwd": str(workspace), "tool_name": "Write",
                       "hook_event_name": "PreToolUse",
                       "tool_input": {"file_path": "src/app.py"}}).encode()


@fuzz_settings(30)
@given(text=document_bytes())
def test_any_config_gets_a_documented_exit(workspace: Path, text: bytes) -> None:
    before = outside(workspace)
    (workspace / "dos.toml").write_bytes(text)
    for verb in VERBS:
        argv = ["--workspace", str(workspace), *verb]
        ran = run_dos(argv, cwd=workspace)
        event(f"{verb[0]} {ran.code}")  # --hypothesis-show-statistics: how many were refused
        check_contract(verb[0], ran, argv)
    # the hook's shortcuts (the remembered store view) answer as the full load does
    replies = [run_dos(["hook", "pretool"], cwd=workspace, stdin=_edit(workspace))
               for _ in range(2)]
    for ran in replies:
        assert ran.code in load("claude-code").exit_codes, ran
        assert "Traceback" not in ran.err, ran.err
    assert (replies[0].code, replies[0].out) == (replies[1].code, replies[1].out)
    assert outside(workspace) == before, "a run wrote outside the workspace"


@fuzz_settings(300)
@given(raw=lifecycle_tables())
def test_a_lifecycle_table_is_refused_by_name_or_holds_together(raw: dict[str, object]) -> None:
    try:
        settings = parse_lifecycle(raw)
    except SchemaProblem as problem:
        refused = problem
    else:
        refused = None
    if refused is not None:
        event(f"refused at {refused.key or 'the table'}")
        assert refused.table.startswith("lifecycle"), refused
        assert refused.message.startswith("[lifecycle"), refused.message
        return
    event(f"accepted with {len(settings.transitions)} transition(s)")
    declared = set(settings.classes)
    assert settings.classes
    assert all(t.source in declared and t.target in declared and t.source != t.target
               and t.trigger in TRIGGERS for t in settings.transitions)
    assert settings.veto_class in (declared | {""})
    assert settings.max_transitions_per_cycle >= 0
    assert 0 <= settings.per_plan_cooldown_hours < float("inf")
