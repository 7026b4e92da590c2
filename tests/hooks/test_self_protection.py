"""The hook protects the referee and itself: no agent writes into `.dos/` (the store,
the hook cache), removes it, opens the store from a shell, or edits `dos.toml` unless
`[hooks] allow_config_edits = true` — whatever lease it holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import SESSION_A, SESSION_B, HookRun

from dos.admission.lease import Lease
from dos.config import load_workspace_config
from dos.errors import ConfigError
from dos.hooks.dialects.claude_code import parse
from dos.hooks.events import ALLOW, DENY, HookEvent
from dos.hooks.guard import Guard
from dos.hooks.pretool import decide

EVERYTHING = Lease(lease_id=1, lane="global", tree=("**/*",), holder="A")


def _write(path: str, cwd: str) -> HookEvent:
    return parse("pretool", {"session_id": "A", "cwd": cwd, "hook_event_name": "PreToolUse",
                             "tool_name": "Write", "tool_input": {"file_path": path}})


def _bash(command: str, cwd: str) -> HookEvent:
    return parse("pretool", {"session_id": "A", "cwd": cwd, "tool_name": "Bash",
                             "tool_input": {"command": command}})


STATE = "dos's own state"
POLICY = "dos.toml, the workspace's dos policy"


def _decide(event: HookEvent, root: Path, guard: Guard | None = None) -> str:
    """The verdict for the holder of a lease over the whole workspace: ALLOW, or what
    the deny protects."""
    outcome = decide(event, root=root, leases=(EVERYTHING,), mine=frozenset({"A"}),
                     guard=guard)
    if outcome.action != DENY:
        return outcome.action
    return STATE if STATE in outcome.reason else POLICY if POLICY in outcome.reason else (
        outcome.reason)


@pytest.mark.parametrize("path", [".dos/dos.db", ".dos/hook-cache.json", "./.dos/new",
                                  ".dos", "src/../.dos/dos.db-wal", ".DOS/dos.db"])
def test_no_agent_writes_into_dos_state(path: str, tmp_path: Path) -> None:
    assert _decide(_write(path, str(tmp_path)), tmp_path) == STATE
    assert _decide(_write(str(tmp_path / path), ""), tmp_path) == STATE


@pytest.mark.parametrize("command", [
    "rm -rf .dos", "rm -rf .", "rm -rf ./*", "mv .dos old-state", "find . -delete",
    "echo '{}' > .dos/hook-cache.json", "git clean -fdx", "cp evil.db .dos/dos.db",
    "sqlite3 .dos/dos.db 'delete from leases'", "sqlite3 -readonly .dos/dos.db .dump",
    "cd .dos && sqlite3 dos.db .dump", "ls .dos", "tar czf x.tgz .dos",
    "python3 -c 'import sqlite3; sqlite3.connect(\".dos/dos.db\").execute(\"delete from leases\")'",
    "python3 - <<'EOF'\nimport sqlite3\nsqlite3.connect('.dos/dos.db')\nEOF",
    'sqlite3 "$PWD/.dos/dos.db" .tables', "sqlite3 $(pwd)/.dos/dos.db",
    "bash -c 'bash -c \"bash -c \\\"bash -c sqlite3\\\\ .dos/dos.db\\\"\"'",
    "env X=1 sudo -u root sqlite3 .dos/dos.db", "sqlite3 < .dos/dos.db",
])
def test_no_shell_command_touches_dos_state(command: str, tmp_path: Path) -> None:
    assert _decide(_bash(command, str(tmp_path)), tmp_path) == STATE, command


def test_a_shell_running_inside_dos_state_is_denied(tmp_path: Path) -> None:
    (tmp_path / ".dos").mkdir()
    assert _decide(_bash("sqlite3 dos.db .dump", str(tmp_path / ".dos")), tmp_path) == STATE
    (tmp_path / "shortcut").symlink_to(tmp_path / ".dos")
    assert _decide(_bash("sqlite3 shortcut/dos.db", str(tmp_path)), tmp_path) == STATE
    assert _decide(_write("shortcut/dos.db", str(tmp_path)), tmp_path) == STATE


@pytest.mark.parametrize("command", [
    "ls", "git status", "echo hi > src/a.py", "rm -rf build", "git clean -fd",
    "git commit -m 'dos.db and .dos are ignored'", "cat dos.toml", "grep -r lease src",
    "dos lease-lane acquire --lane api", "rm -rf src/.dosage",
])
def test_ordinary_commands_pass(command: str, tmp_path: Path) -> None:
    assert _decide(_bash(command, str(tmp_path)), tmp_path) == ALLOW, command


@pytest.mark.parametrize("event", [
    lambda root: _write("dos.toml", root), lambda root: _write("./DOS.toml", root),
    lambda root: _bash("sed -i s/deny/allow/ dos.toml", root),
    lambda root: _bash("echo '[hooks]' >> dos.toml", root),
    lambda root: _bash("mv dos.toml old.toml", root),
    lambda root: _bash("cp other.toml dos.toml", root),
])
def test_dos_toml_is_not_edited_unless_allowed(event: Callable[[str], HookEvent],
                                                tmp_path: Path) -> None:
    assert _decide(event(str(tmp_path)), tmp_path) == POLICY
    allowed = Guard(str(tmp_path), allow_config_edits=True)
    assert _decide(event(str(tmp_path)), tmp_path, allowed) == ALLOW
    assert _decide(_write(".dos/dos.db", str(tmp_path)), tmp_path, allowed) == STATE


def test_a_store_outside_dos_state_is_guarded_too(tmp_path: Path) -> None:
    guard = Guard(str(tmp_path), store_file=str(tmp_path / "state" / "leases.db"))
    for event in (_write("state/leases.db", str(tmp_path)),
                  _write("state/leases.db-wal", str(tmp_path)),
                  _bash("sqlite3 state/leases.db .dump", str(tmp_path)),
                  _bash("cd state; sqlite3 leases.db", str(tmp_path)),
                  _bash(f"sqlite3 {tmp_path}/state/leases.db", "/"),
                  _bash("rm -rf state", str(tmp_path))):
        assert _decide(event, tmp_path, guard) == STATE
    assert _decide(_write("state/other.txt", str(tmp_path)), tmp_path, guard) == ALLOW


def _edit(root: Path, session: str, path: str) -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": "Write", "tool_input": {"file_path": path, "content": "x"}}


def _shell(root: Path, session: str, command: str) -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": command}}


def test_the_hook_refuses_even_the_lease_holder(workspace: Path,
                                                hook: Callable[..., HookRun]) -> None:
    for payload in (_edit(workspace, SESSION_A, ".dos/dos.db"),
                    _shell(workspace, SESSION_A, "rm -rf .dos"),
                    _shell(workspace, SESSION_B, "sqlite3 .dos/dos.db 'delete from leases'"),
                    _edit(workspace, SESSION_A, "dos.toml")):
        done = hook("pretool", "claude-code", payload)
        reason = done.json["hookSpecificOutput"]["permissionDecisionReason"]
        assert STATE in reason or POLICY in reason, reason
        codex = hook("pretool", "codex", payload)
        assert (codex.code, codex.stdout) == (2, "")
        cursor = hook("pretool", "cursor", {**payload, "hook_event_name": "preToolUse"})
        assert json.loads(cursor.stdout)["permission"] == "deny"
    assert (workspace / ".dos" / "dos.db").stat().st_size > 0


def test_allow_config_edits_lets_agents_edit_dos_toml(workspace: Path,
                                                      hook: Callable[..., HookRun]) -> None:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[hooks]\nallow_config_edits = true\n")
    edit = _edit(workspace, SESSION_B, "dos.toml")
    for _ in range(2):  # loaded, then remembered
        done = hook("pretool", "claude-code", edit)
        assert (done.code, done.stdout, done.stderr) == (0, "", "")
    refused = hook("pretool", "claude-code", _edit(workspace, SESSION_B, ".dos/x"))
    assert STATE in refused.json["hookSpecificOutput"]["permissionDecisionReason"]


def test_allow_config_edits_must_be_a_boolean(tmp_path: Path) -> None:
    (tmp_path / "dos.toml").write_text('[hooks]\nallow_config_edits = "yes"\n',
                                       encoding="utf-8")
    with pytest.raises(ConfigError, match="allow_config_edits") as error:
        load_workspace_config(tmp_path)
    assert error.value.line == 2
    (tmp_path / "dos.toml").write_text("[hooks]\nallow_config_edits = true\n", encoding="utf-8")
    assert load_workspace_config(tmp_path).hooks.allow_config_edits is True
    (tmp_path / "dos.toml").write_text("", encoding="utf-8")
    assert load_workspace_config(tmp_path).hooks.allow_config_edits is False


def test_a_patch_that_mentions_dos_state_in_its_text_is_judged_by_its_paths(
        tmp_path: Path) -> None:
    patch = ("*** Begin Patch\n*** Update File: .gitignore\n@@\n+.dos/\n+dos.db\n"
             "*** End Patch\n")
    event = parse("pretool", {"session_id": "A", "cwd": str(tmp_path), "tool_name": "apply_patch",
                              "tool_input": {"command": patch}})
    assert _decide(event, tmp_path) == ALLOW
    into = patch.replace(".gitignore", ".dos/hook-cache.json")
    event = parse("pretool", {"session_id": "A", "cwd": str(tmp_path), "tool_name": "apply_patch",
                              "tool_input": {"command": into}})
    assert _decide(event, tmp_path) == STATE
