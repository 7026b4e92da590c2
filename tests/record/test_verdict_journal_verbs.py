"""Every verdict-bearing verb and every hook decision appends one verdict record (with
its syscall, verdict and source) once the workspace has a store, on both backends;
journaling never creates a store, is off with ``[observe] enabled = false``, and never
changes a verdict's exit code."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from tests._support.leases import Ran
from tests._support.postgres import PgWorkspace

from dos.record.verdict_event import VerdictEvent
from dos.record.verdict_journal import read_events
from dos.run_id import mint

RID = mint("worker").run_id
_HOUR_MS = 3_600_000


def _events(ws: PgWorkspace) -> list[VerdictEvent]:
    return list(read_events(ws.config()))


def _ready(ws: PgWorkspace) -> None:
    """A store, made by the first write verb (whose own grant is journaled too)."""
    ran = ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "A", "--run-id", RID,
                 "--ttl-seconds", "36000")
    assert ran.code == 0, ran
    assert [(e.syscall, e.verdict, e.source, e.lane, e.run_id) for e in _events(ws)] == [
        ("lease-lane", "ACQUIRE", "cli", "docs", RID)]


def _transcript(ws: PgWorkspace) -> str:
    path = ws.path / "worker.jsonl"
    path.write_text(json.dumps({"type": "assistant", "message": {
        "role": "assistant", "content": [{"type": "text", "text": "done"}]}}) + "\n",
        encoding="utf-8")
    return str(path)


# (argv, syscall, verdict, what else the record must carry); "{RID}" and "{T}" are filled in
VERBS = [
    (["verify", "AUTH", "AUTH1"], "verify", "SHIPPED", {"subject": "AUTH::AUTH1"}),
    (["verify", "AUTH", "AUTH9"], "verify", "NOT_SHIPPED", {"subject": "AUTH::AUTH9"}),
    (["commit-audit"], "commit-audit", "CLEAN", {}),
    (["verify-result", "--transcript", "{T}"], "verify-result", "HEALTHY", {}),
    (["coverage", "--declared", "2", "--states", "HEALTHY"], "coverage", "UNDERFILLED", {}),
    (["arbitrate", "--lane", "src"], "arbitrate", "ACQUIRE", {"lane": "src"}),
    (["lease-lane", "acquire", "--lane", "src", "--owner", "B"], "lease-lane", "ACQUIRE",
     {"lane": "src", "subject": "B"}),
    (["lease-lane", "acquire", "--lane", "docs", "--owner", "B"], "lease-lane", "REFUSE",
     {"lane": "docs"}),
    (["scope-gate", "--lane", "docs", "--file", "docs/a.md"], "scope-gate", "IN_SCOPE",
     {"lane": "docs"}),
    (["liveness", "--run-id", "{RID}"], "liveness", "ADVANCING", {"run_id": RID}),
    (["status", "{RID}"], "status", "ADVANCING", {"run_id": RID, "lane": "docs"}),
    (["loop"], "loop", "AT_TARGET", {}),
    (["productivity", "--deltas", "1,0,0"], "productivity", "STALLED", {}),
    (["efficiency", "--work", "1", "--tokens", "5000"], "efficiency", "EFFICIENT", {}),
    (["breaker", "--consecutive", "3", "--total", "4"], "breaker", "OPEN", {}),
    (["cooldown", "U1"], "cooldown", "CLEAR", {"subject": "U1"}),
]


@pytest.mark.parametrize(("argv", "syscall", "verdict", "fields"), VERBS,
                         ids=[f"{case[1]}-{case[2]}" for case in VERBS])
def test_each_verdict_verb_appends_one_record(both_ws: PgWorkspace, argv: list[str],
                                              syscall: str, verdict: str,
                                              fields: dict[str, str]) -> None:
    _ready(both_ws)
    filled = [arg.replace("{RID}", RID).replace("{T}", _transcript(both_ws)) for arg in argv]
    ran = both_ws.run(*filled)
    assert ran.code in (0, 1, 3, 4), ran
    new = _events(both_ws)[1:]
    assert [(e.syscall, e.verdict, e.source) for e in new] == [(syscall, verdict, "cli")], ran
    for name, value in fields.items():
        assert getattr(new[0], name) == value, name
    assert new[0].seq == 2
    assert abs(new[0].ts_ms - time.time() * 1000) < 60_000  # the store's clock, in ms


def test_watch_journals_each_halt_proposal(both_ws: PgWorkspace) -> None:
    _ready(both_ws)
    later = str(int(time.time() * 1000) + 2 * _HOUR_MS)  # the run's heartbeat is stale
    ran = both_ws.run("watch", "--track", RID, "--budget-ms", "0", "--json",
                      DOS_TEST_CLOCK_MS=later)
    assert ran.json()["proposed_halts"] == [RID]
    assert [(e.syscall, e.verdict, e.run_id, e.detail["liveness"]) for e in
            _events(both_ws)[1:]] == [("watch", "HALT_PROPOSED", RID, "STALLED")]
    both_ws.run("watch", "--track", RID, "--json")  # nothing proposed: nothing journaled
    assert len(_events(both_ws)) == 2


def _payload(ws: PgWorkspace, event: str, **fields: object) -> bytes:
    return json.dumps({"session_id": "session-B", "cwd": str(ws.path),
                       "hook_event_name": event, "transcript_path": "", **fields}).encode()


def _edit(ws: PgWorkspace, path: str) -> bytes:
    return _payload(ws, "PreToolUse", tool_name="Edit", tool_input={
        "file_path": str(ws.path / path), "old_string": "a", "new_string": "b"})


HOOKS: list[tuple[str, Callable[[PgWorkspace], bytes], str, dict[str, str]]] = [
    ("pretool", lambda ws: _edit(ws, "docs/guide.md"), "DENY",
     {"reason": "LANE_HELD", "holder": "A", "target": "docs/guide.md", "tool": "Edit"}),
    ("pretool", lambda ws: _edit(ws, "src/a.py"), "ALLOW", {"target": "src/a.py"}),
    ("pretool", lambda ws: _payload(ws, "PreToolUse", tool_name="Bash",
                                    tool_input={"command": "echo hi > $OUT"}), "WARN",
     {"reason": "UNRESOLVED_TARGET", "tool": "Bash"}),
    ("posttool", lambda ws: _payload(ws, "PostToolUse", tool_name="Read",
                                     tool_input={"file_path": "x"}, tool_response="ok"),
     "ALLOW", {"tool": "Read"}),
    ("stop", lambda ws: _payload(ws, "Stop", stop_hook_active=False,
                                 last_assistant_message="DOS-CLAIM: AUTH AUTH9"), "BLOCK",
     {"reason": "FALSE_DONE", "target": "AUTH::AUTH9"}),
    ("stop", lambda ws: _payload(ws, "Stop", stop_hook_active=False,
                                 last_assistant_message="DOS-CLAIM: AUTH AUTH1"), "ALLOW",
     {"target": "AUTH::AUTH1"}),
]


def _hook(ws: PgWorkspace, kind: str, data: bytes, **env: str) -> Ran:
    import subprocess
    import sys

    from tests._support.postgres import child_env

    done = subprocess.run([sys.executable, "-m", "dos", "hook", kind], input=data,
                          capture_output=True, cwd=ws.path, timeout=60, check=False,
                          env=child_env(**env))
    return Ran(done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.mark.parametrize(("kind", "payload", "verdict", "detail"), HOOKS,
                         ids=[f"{case[0]}-{case[2]}" for case in HOOKS])
def test_each_hook_decision_appends_one_record(both_ws: PgWorkspace, kind: str,
                                               payload: Callable[[PgWorkspace], bytes],
                                               verdict: str, detail: dict[str, str]) -> None:
    _ready(both_ws)
    ran = _hook(both_ws, kind, payload(both_ws))
    assert ran.code in (0, 2), ran
    assert "warning" not in ran.err, ran.err
    new = _events(both_ws)[1:]
    assert [(e.syscall, e.verdict, e.source) for e in new] == [(kind, verdict, "hook")], ran
    assert (new[0].detail["session"], new[0].detail["dialect"]) == ("session-B", "claude-code")
    for key, value in detail.items():
        assert new[0].detail[key] == value
    if verdict == "DENY":
        assert new[0].lane == "docs"


def test_a_read_or_another_moments_payload_is_not_journaled(both_ws: PgWorkspace) -> None:
    _ready(both_ws)
    read = _payload(both_ws, "PreToolUse", tool_name="Read",
                    tool_input={"file_path": str(both_ws.path / "docs/a.md")})
    assert _hook(both_ws, "pretool", read).code == 0
    assert _hook(both_ws, "pretool", _payload(both_ws, "PostToolUse", tool_name="Edit")
                 ).code == 0
    assert len(_events(both_ws)) == 1


def test_observe_disabled_journals_nothing(both_ws: PgWorkspace) -> None:
    _ready(both_ws)
    toml = both_ws.path / "dos.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[observe]\nenabled = false\n",
                    encoding="utf-8")
    assert both_ws.run("breaker", "--consecutive", "3", "--total", "4").code == 3
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "B").code == 0
    assert _hook(both_ws, "pretool", _edit(both_ws, "docs/x.md")).code == 0
    assert len(_events(both_ws)) == 1
    observed = both_ws.run("observe")
    assert observed.code == 0
    assert "1 verdict event(s)" in observed.out


@pytest.mark.parametrize("argv", [["verify", "AUTH", "AUTH1"], ["status", RID],
                                  ["breaker", "--consecutive", "1", "--total", "1"],
                                  ["observe"], ["observe", "--json"]])
def test_a_verdict_in_a_workspace_without_a_store_creates_none(fresh_ws: PgWorkspace,
                                                               argv: list[str]) -> None:
    ran = fresh_ws.run(*argv)
    assert ran.code in (0, 1, 3, 4, 5), ran
    assert not (fresh_ws.path / ".dos").exists()
    assert "warning" not in ran.err


def test_a_hook_in_a_workspace_without_a_store_creates_none(fresh_ws: PgWorkspace) -> None:
    ran = _hook(fresh_ws, "pretool", _edit(fresh_ws, "docs/a.md"))
    assert ran.code == 0
    assert not (fresh_ws.path / ".dos").exists()


_HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def _locked(ws: PgWorkspace) -> Callable[[], None]:
    """Another process locks the embedded store against every writer; returns the
    release. (Not this process: closing any descriptor of the file here would drop
    its POSIX locks.)"""
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(ws.path / ".dos" / "dos.db")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"

    def release() -> None:
        holder.communicate("", timeout=30)
    return release


def test_a_failed_append_keeps_the_verdict_and_its_exit_code(fresh_ws: PgWorkspace) -> None:
    ws = fresh_ws
    (ws.path / "dos.toml").write_text((ws.path / "dos.toml").read_text(encoding="utf-8")
                                      + "\n[store]\nbusy_timeout_ms = 50\n", encoding="utf-8")
    _ready(ws)
    release = _locked(ws)
    try:
        for argv, code in ((["breaker", "--consecutive", "3", "--total", "4"], 3),
                           (["breaker", "--consecutive", "0", "--total", "0"], 0),
                           (["productivity", "--deltas", "1,0,0", "--json"], 4)):
            ran = ws.run(*argv)
            assert ran.code == code, ran
            lines = ran.err.splitlines()
            assert len(lines) == 1, ran.err
            assert lines[0].startswith("dos: warning: the verdict journal did not record")
            assert "the verdict and its exit code stand" in lines[0]
        denied = _hook(ws, "pretool", _edit(ws, "docs/guide.md"))
    finally:
        release()
    assert json.loads(denied.out)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert "verdict journal did not record" in denied.err
    assert len(_events(ws)) == 1


def test_an_unreachable_shared_store_is_a_warning_not_a_verdict(fresh_ws: PgWorkspace) -> None:
    ran = fresh_ws.run("breaker", "--consecutive", "3", "--total", "4",
                       DOS_STORE_URL="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert ran.code == 3, ran
    assert ran.err.count("\n") == 1
    assert "did not record" in ran.err


def test_mcp_and_cli_journal_the_same_record_shape(both_ws: PgWorkspace) -> None:
    """The Python API has no surface of its own: a program names its source."""
    from dos.record.verdict_journal import journal_answer

    _ready(both_ws)
    payload = both_ws.run("verify", "AUTH", "AUTH1", "--json").json()
    assert journal_answer(both_ws.config(), payload, source="api") == 1
    cli, api = _events(both_ws)[1:]
    assert (cli.source, api.source) == ("cli", "api")
    assert (cli.syscall, cli.verdict, cli.subject, dict(cli.detail)) == \
        (api.syscall, api.verdict, api.subject, dict(api.detail))
