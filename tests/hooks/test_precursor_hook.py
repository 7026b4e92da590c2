"""`dos hook pretool` refuses a tool `[precursor.requires]` gates until its lookup was
called earlier in the same session — on the session's first call too — from the
session's tool-stream record that `dos hook posttool` keeps; each host gets the refusal
in its own grammar, and the journal names the missing lookup."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import SESSION_A, SESSION_B, HookRun
from tests._support.postgres import write_workspace
from tests.store.conftest import _session_database, postgres_url

from dos.config import load_workspace_config
from dos.hooks.streams import HISTORY_MAX, NAME_MAX, NAMESPACE, called_of, with_call
from dos.record.verdict_journal import read_events

GRAMMAR = """
[precursor.requires]
update_ticket = ["get_ticket"]
Edit = ["Read"]

[precursor.aliases]
get_ticket = ["fetch-ticket"]
"""
__all__ = ["_session_database", "postgres_url"]  # the PostgreSQL fixtures, used below

_REFUSED = {"claude-code": "permissionDecision", "codex": "exit", "gemini": "exit",
            "cursor": "permission"}


@pytest.fixture
def gated(workspace: Path) -> Path:
    """The hooks' workspace (session-A holds lane api) with the precursor grammar."""
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write(GRAMMAR)
    return workspace


def pre(dialect: str, root: Path, session: str, tool: str,
        tool_input: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PreToolUse payload in the host's own shape."""
    if dialect == "cursor":
        return {"conversation_id": session, "generation_id": "gen-1",
                "hook_event_name": "beforeMCPExecution", "workspace_roots": [str(root)],
                "cursor_version": "1.7.0", "tool_name": tool,
                "tool_input": json.dumps(tool_input or {})}
    return {"session_id": session, "transcript_path": str(root / ".t" / "t.jsonl"),
            "cwd": str(root), "hook_event_name": "BeforeTool" if dialect == "gemini"
            else "PreToolUse", "tool_name": tool, "tool_input": tool_input or {},
            "tool_use_id": "toolu_01"}


def post(dialect: str, root: Path, session: str, tool: str) -> dict[str, Any]:
    """The matching PostToolUse payload, with a result."""
    if dialect == "cursor":
        return {**pre(dialect, root, session, tool), "hook_event_name": "afterMCPExecution",
                "result_json": "{}", "tool_output": "ticket 7"}
    name = {"gemini": "AfterTool"}.get(dialect, "PostToolUse")
    return {**pre(dialect, root, session, tool), "hook_event_name": name,
            "tool_response": {"stdout": "ticket 7"}}


def refusal(dialect: str, done: HookRun) -> str:
    """The refusal's text as the host reads it, or "" when the call was let through."""
    if dialect in ("codex", "gemini"):
        assert done.code in (0, 2), done.stderr
        return done.stderr if done.code == 2 else ""
    assert done.code == 0, done.stderr
    reply = done.json or {}
    if dialect == "cursor":
        return str(reply["agent_message"]) if reply.get("permission") == "deny" else ""
    out = reply.get("hookSpecificOutput", {})
    return str(out["permissionDecisionReason"]) if out.get("permissionDecision") == "deny" \
        else ""


@pytest.mark.parametrize("dialect", sorted(_REFUSED))
def test_the_first_call_is_refused_until_the_lookup_ran(
        gated: Path, hook: Callable[..., HookRun], dialect: str) -> None:
    first = refusal(dialect, hook("pretool", dialect, pre(dialect, gated, SESSION_B,
                                                          "update_ticket")))
    assert first.startswith("DOS PRE-admission: `update_ticket` runs only after "
                            "`get_ticket` (or `fetch_ticket`) in the same session")
    assert "no earlier call of this session is recorded" in first
    assert hook("posttool", dialect, post(dialect, gated, SESSION_B, "list_queues")).code == 0
    assert "none of the 1 tool(s)" in refusal(dialect, hook(
        "pretool", dialect, pre(dialect, gated, SESSION_B, "update_ticket")))
    assert hook("posttool", dialect, post(dialect, gated, SESSION_B, "Get-Ticket")).code == 0
    after = hook("pretool", dialect, pre(dialect, gated, SESSION_B, "Update.Ticket"))
    assert refusal(dialect, after) == ""
    assert (after.code, after.stderr) == (0, "")
    # another session's lookup attests nothing for this one
    assert refusal(dialect, hook("pretool", dialect, pre(dialect, gated, SESSION_A,
                                                         "update_ticket")))


def test_an_alias_counts_and_ungated_tools_pass(gated: Path,
                                                hook: Callable[..., HookRun]) -> None:
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "list_queues")).stdout == ""
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "fetch_ticket"))
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "update_ticket")).stdout == ""


def test_case_sensitive_keeps_capitals_apart(gated: Path,
                                             hook: Callable[..., HookRun]) -> None:
    text = (gated / "dos.toml").read_text(encoding="utf-8")
    (gated / "dos.toml").write_text(text.replace("[precursor.requires]", "[precursor]\n"
                                                 "case_sensitive = true\n\n"
                                                 "[precursor.requires]"), encoding="utf-8")
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "GET_TICKET"))
    denied = hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                                "update_ticket"))
    assert "none of the 1 tool(s)" in refusal("claude-code", denied)
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "UPDATE_TICKET")).stdout == ""  # not gated
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "get-ticket"))
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "update_ticket")).stdout == ""


def test_a_gated_write_meets_the_lease_check_first(gated: Path,
                                                   hook: Callable[..., HookRun]) -> None:
    def edit(rel: str) -> HookRun:
        return hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B, "Edit",
                                                  {"file_path": str(gated / rel)}))
    leased = refusal("claude-code", edit("src/api/a.py"))
    assert "is inside lane 'api'" in leased
    assert "precursor" not in leased
    assert "`Edit` runs only after `read`" in refusal("claude-code", edit("src/ui/b.py"))
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "Read"))
    assert edit("src/ui/b.py").stdout == ""
    assert "is inside lane 'api'" in refusal("claude-code", edit("src/api/a.py"))


def test_the_journal_names_the_missing_lookup(gated: Path,
                                              hook: Callable[..., HookRun]) -> None:
    hook("pretool", "codex", pre("codex", gated, SESSION_B, "update_ticket"))
    hook("posttool", "codex", post("codex", gated, SESSION_B, "get_ticket"))
    hook("pretool", "codex", pre("codex", gated, SESSION_B, "update_ticket"))
    events = [event for event in read_events(load_workspace_config(gated))
              if event.syscall == "pretool"]
    assert [(event.verdict, event.subject) for event in events] == [
        ("DENY", "update_ticket"), ("ALLOW", "update_ticket")]
    assert events[0].detail == {"session": SESSION_B, "tool": "update_ticket",
                                "dialect": "codex", "target": "update_ticket",
                                "reason": "MISSING_PRECURSOR", "missing": "get_ticket"}
    assert "missing" not in events[1].detail


def test_an_ignored_tool_still_counts_as_called(gated: Path,
                                                hook: Callable[..., HookRun]) -> None:
    with (gated / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool_stream]\nignore_tools = ["get_ticket"]\n')
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "get_ticket"))
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "update_ticket")).stdout == ""


def _record(root: Path, key: str) -> Any:
    with sqlite3.connect(root / ".dos" / "dos.db") as conn:
        row = conn.execute("SELECT value_json FROM memory WHERE namespace = ? AND key = ?",
                           (NAMESPACE, key)).fetchone()
    return None if row is None else json.loads(row[0])


def _damage(root: Path, key: str, text: str) -> None:
    with sqlite3.connect(root / ".dos" / "dos.db") as conn:
        conn.execute("UPDATE memory SET value_json = ? WHERE namespace = ? AND key = ?",
                     (text, NAMESPACE, key))


def test_without_precursor_posttool_keeps_no_history(workspace: Path,
                                                     hook: Callable[..., HookRun]) -> None:
    hook("posttool", "claude-code", post("claude-code", workspace, SESSION_B, "get_ticket"))
    assert set(_record(workspace, SESSION_B)) == {"tool", "args", "result", "count"}


@pytest.mark.parametrize(("text", "why"), [
    ('{"count": 1, "called": ["get_t', "cannot be read"),  # torn
    ("[1, 2]", "malformed"),
    ('{"called": "get_ticket"}', "malformed"),
    ('{"called": ["get_ticket", 7]}', "malformed"),
    (json.dumps({"called": ["get_ticket", "x" * (NAME_MAX + 1)]}), "malformed"),
    (json.dumps({"called": [f"t{n}" for n in range(HISTORY_MAX)] + ["get_ticket"]}),
     "malformed"),
])
def test_a_damaged_history_fails_closed_then_heals(
        gated: Path, hook: Callable[..., HookRun], text: str, why: str) -> None:
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "get_ticket"))
    assert _record(gated, SESSION_B)["called"] == ["get_ticket"]
    _damage(gated, SESSION_B, text)
    denied = refusal("claude-code", hook("pretool", "claude-code", pre(
        "claude-code", gated, SESSION_B, "update_ticket")))
    assert f"the session's tool history {why}" in denied.replace("in the store is ", "")
    hook("posttool", "claude-code", post("claude-code", gated, SESSION_B, "get_ticket"))
    assert hook("pretool", "claude-code", pre("claude-code", gated, SESSION_B,
                                              "update_ticket")).stdout == ""


def test_the_history_is_bounded_and_forgets_the_oldest() -> None:
    record: dict[str, Any] = {}
    for name in ["get_ticket", *(f"tool_{n}" for n in range(HISTORY_MAX)), "x" * 10_000]:
        record = {"called": with_call(record, name)}
    assert len(record["called"]) == HISTORY_MAX
    assert "get_ticket" not in record["called"]  # forgotten: it must be called again
    assert called_of(record) == record["called"]
    again = with_call(record, "tool_5")
    assert again[-1] == "tool_5"
    assert again.count("tool_5") == 1


@pytest.mark.parametrize("session", ["../../../../tmp/escape", "a/b\\c", "x\x00y",
                                     "s" * 100_000, "\u202e\nnew-line"])
def test_a_session_id_is_only_ever_a_key(gated: Path, hook: Callable[..., HookRun],
                                         tmp_path: Path, session: str) -> None:
    before = sorted(tmp_path.rglob("*"))
    first = hook("pretool", "claude-code", pre("claude-code", gated, session, "update_ticket"))
    assert "no earlier call" in refusal("claude-code", first)
    hook("posttool", "claude-code", post("claude-code", gated, session, "get_ticket"))
    assert hook("pretool", "claude-code", pre("claude-code", gated, session,
                                              "update_ticket")).stdout == ""
    assert hook("pretool", "claude-code", pre("claude-code", gated, session + "2",
                                              "update_ticket")).stdout != ""
    created = sorted(set(tmp_path.rglob("*")) - set(before))
    assert all(path.is_relative_to(gated / ".dos") for path in created), created
    plain = len(session) <= 128 and session.isprintable()
    assert (_record(gated, session) is not None) == plain


def test_a_call_without_a_session_is_refused(gated: Path,
                                             hook: Callable[..., HookRun]) -> None:
    payload = pre("claude-code", gated, "", "update_ticket")
    assert "names no session" in refusal("claude-code", hook("pretool", "claude-code",
                                                             payload))


def test_on_postgresql_a_nul_in_the_session_id_is_kept_by_digest(
        postgres_url: str, git_repo: Callable[..., Any], hook: Callable[..., HookRun]) -> None:
    repo = git_repo("pg")
    root = Path(repo.path).resolve()
    write_workspace(root, postgres_url, f"test-{uuid.uuid4().hex}", GRAMMAR)
    session = "pg\x00session"  # PostgreSQL text cannot hold a NUL
    assert "no earlier call" in refusal("codex", hook("pretool", "codex", pre(
        "codex", root, session, "update_ticket")))
    assert hook("posttool", "codex", post("codex", root, session, "get_ticket")).code == 0
    allowed = hook("pretool", "codex", pre("codex", root, session, "update_ticket"))
    assert (allowed.code, allowed.stdout, allowed.stderr) == (0, "", "")
    assert refusal("codex", hook("pretool", "codex", pre("codex", root, "pg", "update_ticket")))
