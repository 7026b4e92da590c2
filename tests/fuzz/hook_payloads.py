"""Hypothesis strategies for agent-host hook payloads, per dialect and event: the host's
own field and event names (read from the dialect modules) with hostile values, then the
bytes on stdin — sometimes torn, not UTF-8, nested without end, or not an object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from dos import _fastjson
from dos.hooks.dialects.claude_code import EVENT_NAMES as CLAUDE_EVENTS
from dos.hooks.dialects.cursor import EVENT_NAMES as CURSOR_EVENTS
from dos.hooks.dialects.gemini import EVENT_NAMES as GEMINI_EVENTS
from dos.hooks.targets import PATH_KEYS

EVENTS = {"claude-code": CLAUDE_EVENTS, "codex": CLAUDE_EVENTS, "cursor": CURSOR_EVENTS,
          "gemini": GEMINI_EVENTS}
EVERY_EVENT = sorted({name for table in EVENTS.values() for names in table.values()
                      for name in names})
SESSION_KEY = {"cursor": "conversation_id"}
LAST_MESSAGE_KEY = {"gemini": "prompt_response"}
TOOLS = ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash", "Read", "Grep", "apply_patch",
         "run_shell_command", "write_file", "replace", "Shell", "mcp__fs__write_file",
         "mcp__x__delete_thing", "", " ", "WRITE"]
COMMANDS = ["echo x > src/a.py", "ls", "rm -rf src", "cd .. && touch x", "echo 'oops",
            "cat <<EOF > docs/f\n", "bash -c 'touch src/z'", "mv $A ~/b", "git commit -am x",
            "printf x | tee -a .dos/dos.db", "sed -i s/a/b/ dos.toml", "x" * 20_000]
CLAIMS = ["DOS-CLAIM: AUTH AUTH1", "DOS-CLAIM: AUTH AUTH2", "done", "",
          "DOS-CLAIM: AUTH AUTH1\n" * 500, "DOS-CLAIM: ../.. ;rm"]
PATCH = "*** Begin Patch\n*** Add File: src/n.py\n+x\n*** End Patch\n"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.sampled_from(["", "x" * 100_000, "a\x00b", "\ud800", "../../../../etc/passwd", "/",
                     "~", "-1", "nan", "DOS-CLAIM: AUTH AUTH2"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=10)


def _paths(root: Path) -> st.SearchStrategy[str]:
    return st.sampled_from([
        str(root / "src/a.py"), "src/a.py", "docs/b.md", "./src/../docs/c.md", "dos.toml",
        ".dos/dos.db", str(root.parent / "outside.py"), "/etc/passwd", "~/x", "", ".",
        "src/" + "d/" * 500 + "f", "src/\x00x"])


def _transcripts(root: Path) -> st.SearchStrategy[str]:
    names = ["claim.jsonl", "deep.jsonl", "binary.jsonl", "huge.jsonl", "nosuch.jsonl", "src"]
    return st.sampled_from([*(str(root / "transcripts" / name) for name in names),
                            "relative.jsonl", "/dev/null", "", "/proc/self/status"])


def _tool_input(root: Path) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={
        **{key: _paths(root) for key in PATH_KEYS}, "command": st.sampled_from(COMMANDS),
        "patch": st.just(PATCH), "input": st.just(PATCH), "content": st.text(max_size=20),
        "edits": st.lists(st.fixed_dictionaries({"old_string": st.text(max_size=5)}),
                          max_size=2)})


def payloads(dialect: str, kind: str, root: Path) -> st.SearchStrategy[dict[str, Any]]:
    """A payload this host could send for ``kind``; then fields dropped or turned to junk."""
    own = EVENTS[dialect][kind]
    plausible = st.fixed_dictionaries({
        SESSION_KEY.get(dialect, "session_id"): st.sampled_from(["session-A", "session-B",
                                                                 "", " session-A "]),
        "cwd": st.sampled_from([str(root), str(root / "src"), str(root / "nosuch"), "rel",
                                ""]),
        "hook_event_name": st.sampled_from(own) | st.sampled_from(EVERY_EVENT),
        "tool_name": st.sampled_from(TOOLS),
        "tool_input": _tool_input(root) | _tool_input(root).map(json.dumps),
    }, optional={
        "workspace_roots": st.lists(st.sampled_from([str(root), str(root / "src"), "rel"]),
                                    max_size=2),
        "tool_response": st.sampled_from(["same", {"stdout": "x"}, None, "x" * 50_000]),
        "command": st.sampled_from(COMMANDS), "file_path": _paths(root),
        "transcript_path": _transcripts(root),
        LAST_MESSAGE_KEY.get(dialect, "last_assistant_message"): st.sampled_from(CLAIMS),
        "stop_hook_active": st.booleans() | st.sampled_from(["true", "no", 1]),
        "loop_count": st.integers(-1, 3)})
    keys = sorted({*SESSION_KEY.values(), "session_id", "cwd", "hook_event_name", "tool_name",
                   "tool_input", "tool_response", "transcript_path", "stop_hook_active",
                   "workspace_roots", "command"})
    junk = st.dictionaries(st.sampled_from(keys), json_values, max_size=3)
    dropped = st.sets(st.sampled_from(keys), max_size=4)
    return st.tuples(plausible, junk, dropped).map(
        lambda parts: {k: v for k, v in {**parts[0], **parts[1]}.items() if k not in parts[2]})


def _encoded(payload: dict[str, Any], ascii_only: bool) -> bytes:
    return json.dumps(payload, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


too_deep = st.sampled_from([b"[" * 100_000, b'{"a":' * 50_000,
                            b"[" * (_fastjson.MAX_DEPTH + 1) + b"]" * (_fastjson.MAX_DEPTH + 1)])
not_objects = st.sampled_from([b"[]", b"null", b'"a string"', b"1", b"NaN", b"[{}]"])


@st.composite
def torn(draw: st.DrawFn, readable: st.SearchStrategy[bytes]) -> bytes:
    """Bytes no hook can read: a cut document, bytes that are not UTF-8, nesting past the
    bound, JSON that is not an object, nothing at all."""
    data = draw(readable)
    form = draw(st.sampled_from(["cut", "not utf-8", "deep", "not an object", "empty"]))
    if form == "cut":
        return data[:draw(st.integers(0, len(data) - 1))]
    if form == "not utf-8":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80"])) + \
            data[at:]
    if form == "deep":
        return draw(too_deep)
    return draw(not_objects) if form == "not an object" else draw(st.sampled_from([b"", b" \n"]))


def stdin_bytes(dialect: str, kind: str, root: Path) -> st.SearchStrategy[bytes]:
    """What a host (or a broken one) pipes in: mostly a payload, often unreadable bytes."""
    readable = st.builds(_encoded, payloads(dialect, kind, root), st.booleans())
    return st.one_of(readable, readable.map(lambda data: b"\xef\xbb\xbf" + data),
                     torn(readable), st.binary(max_size=64))


def is_payload(data: bytes) -> bool:
    """Whether ``data`` is a JSON object in UTF-8 (a BOM allowed): a payload a hook reads."""
    try:
        return isinstance(json.loads(data.decode("utf-8").removeprefix("\ufeff")), dict)
    except (ValueError, RecursionError):
        return False
