"""Whatever a host (or a broken host) pipes in — wrong types, missing fields, huge
strings, invalid UTF-8 — the hook never crashes, prints only its host's documented
keys, and exits only with a code that host understands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._support.hooks import check_reply_schema

from dos.hooks.dialects import NAMES, load
from dos.hooks.main import hook_reply

FIELDS = ["session_id", "conversation_id", "cwd", "hook_event_name", "tool_name", "tool_input",
          "tool_response", "tool_output", "command", "workspace_roots", "transcript_path",
          "last_assistant_message", "prompt_response", "stop_hook_active", "loop_count"]
EVENTS = ["PreToolUse", "PostToolUse", "Stop", "SubagentStop", "BeforeTool", "AfterTool",
          "AfterAgent", "preToolUse", "beforeShellExecution", "postToolUse", "stop", "bogus"]
TOOLS = ["Write", "Edit", "MultiEdit", "Bash", "Read", "apply_patch", "run_shell_command",
         "write_file", "Shell", "mcp__fs__write_file", ""]

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(max_size=40), st.just("x" * 200_000), st.just("a\x00b"),
                     st.just("\ud800"), st.just("../../../../etc/passwd"))
_json = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)


def _payload(root: Path) -> st.SearchStrategy[dict[str, Any]]:
    """A plausible payload, then some fields dropped and some replaced by junk."""
    commands = st.sampled_from([
        "echo x > src/api/a.py", "rm -rf /", "cd .. && touch x", "echo 'oops", "ls",
        "cat <<EOF > f\n", "bash -c 'bash -c \"touch src/api/z\"'", "mv $A ~/b"])
    plausible = st.fixed_dictionaries({
        "session_id": st.sampled_from(["session-A", "session-B", ""]),
        "conversation_id": st.sampled_from(["session-A", "session-B"]),
        "cwd": st.sampled_from([str(root), str(root), str(root / "src"), "/", "relative"]),
        "workspace_roots": st.just([str(root)]),
        "tool_name": st.sampled_from(TOOLS),
        "tool_input": st.fixed_dictionaries({
            "file_path": st.sampled_from([str(root / "src/api/a.py"), "src/ui/b.py",
                                          "./src/api/n.py", "/etc/x", "~/x"]),
            "command": commands}),
        "command": commands,
        "tool_response": st.sampled_from(["same", {"stdout": "x"}, None]),
        "last_assistant_message": st.sampled_from(["DOS-CLAIM: AUTH AUTH2", "hi", ""]),
        "prompt_response": st.just("DOS-CLAIM: AUTH AUTH1"),
        "stop_hook_active": st.booleans(), "loop_count": st.integers(0, 3),
    }, optional={"hook_event_name": st.sampled_from(EVENTS)})
    junk = st.dictionaries(st.sampled_from(FIELDS), _json, max_size=4)
    dropped = st.sets(st.sampled_from(FIELDS), max_size=6)
    return st.tuples(plausible, junk, dropped).map(
        lambda parts: {k: v for k, v in {**parts[0], **parts[1]}.items() if k not in parts[2]})


def _inputs(root: Path) -> st.SearchStrategy[bytes]:
    as_json = _payload(root).map(lambda p: json.dumps(p).encode("utf-8", "surrogatepass"))
    broken = st.one_of(st.binary(max_size=200), as_json.map(lambda b: b[: len(b) // 2]),
                       as_json.map(lambda b: b.replace(b"session", b"\xff\xfesession")),
                       _json.map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass")))
    return st.one_of(as_json, as_json, as_json, broken)


@pytest.mark.parametrize("dialect", NAMES)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_input_gets_a_reply_in_the_hosts_schema(dialect: str, workspace: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    data: st.DataObject) -> None:
    monkeypatch.chdir(workspace)  # a payload without a usable cwd: the hook's own is used
    kind = data.draw(st.sampled_from(["pretool", "posttool", "stop"]))
    stdin = data.draw(_inputs(workspace))
    reply = hook_reply(kind, dialect, stdin)
    assert reply.exit_code in load(dialect).exit_codes
    check_reply_schema(dialect, reply.stdout)
    if reply.exit_code == 2:
        assert reply.stdout == ""
        assert reply.stderr.strip()
    for line in reply.stderr.splitlines():
        assert line.startswith(("dos hook ", "DOS ")), line
