"""A payload the hook cannot read — torn, empty, not UTF-8, not a JSON object, nested
without end — is a hook that cannot decide: every dialect answers it the way
``[hooks] on_error`` chose, and the hook's JSON reader fails exactly as ``json.loads``
does (never SystemError), even in a fresh process where ``json`` was never imported."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import SESSION_B, HookRun, blocked

from dos import _fastjson as jsonc

# Malformed (and borderline) documents, as the bytes a host could send.
CORPUS: dict[str, bytes] = {
    "empty": b"", "blank": b" \n\t ", "truncated object": b'{"tool_name": "Wri',
    "truncated after key": b'{"a": ', "truncated array": b"[1, 2,",
    "truncated escape": b'"ab\\', "truncated unicode escape": b'"\\u12',
    "bad escape": b'{"file_path": "x\\q"}', "bad unicode escape": b'"\\uZZZZ"',
    "lone high surrogate": b'"\\ud800"', "lone low surrogate": b'"\\udc00x"',
    "surrogate pair": b'"\\ud83d\\ude00"', "control character in string": b'"a\x01b"',
    "missing colon": b'{"a" 1}', "missing comma": b"[1 2]", "trailing comma": b'{"a": 1,}',
    "single quotes": b"{'a': 1}", "unquoted key": b"{a: 1}",
    "deep array": b"[" * 100_000, "deep object": b'{"a":' * 50_000,
    "deep but closed": b"[" * 5_000 + b"]" * 5_000,
    "huge integer": b"1" * 5_000, "huge exponent": b"1e999999", "tiny float": b"-1e-999999",
    "NaN": b"NaN", "Infinity": b"[Infinity, -Infinity]", "nan lowercase": b"nan",
    "trailing garbage": b'{"a": 1} x', "two documents": b"{}{}", "trailing comment": b"{} // c",
    "invalid utf-8": b'{"a": "\xff\xfe"}', "overlong utf-8": b'"\xc0\xaf"',
    "utf-8 bom": b'\xef\xbb\xbf{"a": 1}', "utf-16 bom": '{"a": 1}'.encode("utf-16"),
    "nul byte": b'{"a": 1}\x00', "only a bom": b"\xef\xbb\xbf",
    "leading plus": b"+1", "leading zero": b"012", "bare minus": b"-", "dot": b"1.",
}
DEEP = {"deep array", "deep object", "deep but closed"}

# Each shim outcome is computed with the json package unloaded, as in a hook process
# (CPython 3.11's _json raises SystemError unless json.decoder is loaded); then json's.
_PROBE = """\
import base64, sys
corpus = {name: base64.b64decode(text) for name, text in eval(sys.stdin.read()).items()}
from dos import _fastjson as jsonc
def outcome(loads, data, unload=False):
    for name in [name for name in sys.modules if unload and name.split(".")[0] == "json"]:
        del sys.modules[name]
    try:
        loads(data)
        return ["value", ""]
    except Exception as error:
        return [type(error).__name__, str(error)[:200]]
documents = {name: [data.decode("utf-8", "replace"), data] for name, data in corpus.items()}
ours = {name: [outcome(jsonc.loads, doc, unload=True) for doc in docs]
        for name, docs in documents.items()}
import json
theirs = {name: [outcome(json.loads, doc) for doc in docs] for name, docs in documents.items()}
print(json.dumps({"ours": ours, "theirs": theirs}))
"""


def _fresh_outcomes() -> dict[str, dict[str, list[list[str]]]]:
    encoded = {name: base64.b64encode(data).decode() for name, data in CORPUS.items()}
    done = subprocess.run([sys.executable, "-c", _PROBE], input=repr(encoded),
                          capture_output=True, text=True, check=True)
    result: dict[str, dict[str, list[list[str]]]] = json.loads(done.stdout)
    return result


def test_the_shim_fails_exactly_like_json_loads_in_a_fresh_process() -> None:
    found = _fresh_outcomes()
    for name in CORPUS:
        for ours, theirs in zip(found["ours"][name], found["theirs"][name], strict=True):
            if name in DEEP:  # json.loads: a value or RecursionError; ours: bounded depth
                assert ours[0] == "JSONDecodeError", (name, ours)
            else:
                assert ours == theirs, name
            assert ours[0] in ("value", "JSONDecodeError", "ValueError", "UnicodeDecodeError")


def _outcome(loads: Callable[[str | bytes], object], document: str | bytes) -> object:
    """("value", the value as JSON), or the error's class and message; "too deep" for
    json.loads's RecursionError."""
    try:
        return "value", json.dumps(loads(document))
    except RecursionError:
        return "too deep"
    except ValueError as error:
        return type(error), str(error)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_shim_fails_exactly_like_json_loads(name: str) -> None:
    data = CORPUS[name]
    for document in (data, data.decode("utf-8", "replace")):
        ours, theirs = _outcome(jsonc.loads, document), _outcome(json.loads, document)
        if name in DEEP:  # bounded: too deep for json.loads, or deeper than MAX_DEPTH
            assert isinstance(ours, tuple)
            assert ours[0] is json.JSONDecodeError
        else:
            assert ours == theirs


def test_nesting_is_bounded() -> None:
    assert jsonc.loads("[" * jsonc.MAX_DEPTH + "]" * jsonc.MAX_DEPTH) is not None
    deeper = "[" * (jsonc.MAX_DEPTH + 1) + "]" * (jsonc.MAX_DEPTH + 1)
    with pytest.raises(json.JSONDecodeError, match="Nesting deeper than"):
        jsonc.loads(deeper)
    with pytest.raises(json.JSONDecodeError, match="Nesting deeper than"):
        jsonc.loads('{"a": ' * 200 + "1" + "}" * 200)
    assert jsonc.loads("[[1]]", max_depth=2) == [[1]]


# What each dialect answers when it must block (pretool, stop) on on_error = "deny".
_PAYLOADS = [CORPUS[name] for name in ("truncated object", "bad escape", "invalid utf-8",
                                       "empty", "deep array", "two documents")]
_PAYLOADS += [b"[1, 2]", b'"a string"', b"null"]


@pytest.fixture
def failing_closed(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[hooks]\non_error = "deny"\n')
    monkeypatch.chdir(workspace)  # a torn payload names no cwd: the hook's own is used
    return workspace


@pytest.mark.parametrize("dialect", ["claude-code", "codex", "cursor", "gemini"])
@pytest.mark.parametrize("kind", ["pretool", "posttool", "stop"])
def test_a_torn_payload_gets_the_on_error_outcome(dialect: str, kind: str, failing_closed: Path,
                                                  hook: Callable[..., HookRun]) -> None:
    for payload in _PAYLOADS:
        done = hook(kind, dialect, payload)
        assert done.stderr.startswith(f"dos hook {kind}: error: stdin is "), done.stderr
        if kind == "posttool":  # a tool that already ran cannot be blocked
            assert done.code == 0
            assert "— allowed" in done.stderr
        else:
            assert blocked(dialect, kind, done), (payload[:20], done)
            assert '— denied ([hooks] on_error = "deny")' in done.stderr


@pytest.mark.parametrize("dialect", ["claude-code", "codex", "cursor", "gemini"])
def test_a_torn_payload_is_allowed_with_a_diagnostic_by_default(
        dialect: str, workspace: Path, monkeypatch: pytest.MonkeyPatch,
        hook: Callable[..., HookRun]) -> None:
    monkeypatch.chdir(workspace)
    done = hook("pretool", dialect, CORPUS["bad escape"])
    assert done.code == 0
    assert not blocked(dialect, "pretool", done)
    assert done.stderr == ("dos hook pretool: error: stdin is not a JSON document (Invalid "
                           "\\escape: line 1 column 17 (char 16)) — allowed ([hooks] on_error "
                           "= \"allow\")\n")


def test_the_installed_hook_never_crashes_on_a_torn_payload(failing_closed: Path) -> None:
    edit = json.dumps({"session_id": SESSION_B, "cwd": str(failing_closed),
                       "hook_event_name": "PreToolUse", "tool_name": "Write",
                       "tool_input": {"file_path": "src/ui/x.py"}}).encode()
    for payload in (edit[:-7], edit.replace(b"src/ui", b"src\\q"), edit + b"]"):
        done = subprocess.run([sys.executable, "-m", "dos", "hook", "pretool", "--dialect",
                               "codex"], input=payload, cwd=failing_closed, capture_output=True,
                              check=False, env=dict(os.environ))
        assert (done.returncode, done.stdout) == (2, b""), done.stderr
        assert b"failing closed" in done.stderr


def test_an_endless_payload_is_cut_and_fails_closed(failing_closed: Path) -> None:
    """A host (or an attacker) piping /dev/zero must not fill memory or hang the hook:
    the read stops at the bound and the cut document is torn, so on_error decides."""
    with Path("/dev/zero").open("rb") as endless:
        done = subprocess.run([sys.executable, "-m", "dos", "hook", "pretool", "--dialect",
                               "codex"], stdin=endless, cwd=failing_closed,
                              capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stdout) == (2, b""), done.stderr
    assert b"failing closed" in done.stderr
