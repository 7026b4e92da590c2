"""`dos hook pretool` runs once per tool call, so its start-up is the hook's latency: a
decision imports no heavy module, and the workspace's store location is remembered
beside the store, derived from the one config loader and dropped as soon as anything
it came from changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, SESSION_B, HookRun

from dos.hooks.store_view import CACHE_NAME

# Each costs start-up time a decision does not need: the config loader (tomllib,
# dataclasses, inspect, typing), argparse, hashing, pathlib, the json package with
# re and enum (dos._fastjson runs the same C codec), the sqlite3 package (its date
# adapters pull in datetime), the write machinery.
HEAVY = ("argparse", "dataclasses", "inspect", "typing", "hashlib", "tomllib", "pathlib",
         "contextlib", "importlib.util", "json", "re", "enum", "sqlite3", "datetime",
         "dos.config", "dos.settings", "dos.admission.lane_lease", "dos.admission.arbiter",
         "dos.store.journal", "dos.admission._lease_request")

# One pretool decision in a fresh interpreter, through the CLI's own entry, then the
# names of the modules it loaded (on stderr, after the hook's own output); modules the
# interpreter had already loaded at start-up (site, .pth files) are not the hook's.
_PROBE = """\
import sys
before = set(sys.modules)
from dos.cli import main
code = main(["hook", "pretool"])
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(set(sys.modules) - before)) + "\\n")
sys.exit(code)
"""


def _edit(root: Path, session: str, rel: str, tool: str = "Edit") -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": tool, "tool_input": {"file_path": str(root / rel)}}


def _probe(root: Path, payload: dict[str, object],
           env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=root, check=False,
                          input=json.dumps(payload).encode(), capture_output=True,
                          env={**os.environ, **(env or {})})
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    head, _, modules = stderr.rpartition("\nMODULES ")
    assert head == "", head
    return done.stdout.decode(), set(modules.split())


def _decision(stdout: str) -> str:
    return str(json.loads(stdout)["hookSpecificOutput"]["permissionDecision"]) if stdout else ""


def test_a_remembered_decision_imports_nothing_heavy(workspace: Path) -> None:
    first, _ = _probe(workspace, _edit(workspace, SESSION_B, "src/api/a.py"))
    assert (workspace / ".dos" / CACHE_NAME).is_file()
    for rel, expected in (("src/api/a.py", "deny"), ("src/ui/b.py", "")):
        stdout, modules = _probe(workspace, _edit(workspace, SESSION_B, rel))
        assert _decision(stdout) == expected
        assert sorted(modules.intersection(HEAVY)) == []
        assert "_sqlite3" in modules  # it did read the store
    assert _decision(first) == "deny"


def test_a_read_never_opens_the_store(workspace: Path) -> None:
    stdout, modules = _probe(workspace, _edit(workspace, SESSION_B, "src/api/a.py", "Read"))
    assert stdout == ""
    assert sorted(modules.intersection({*HEAVY, "_sqlite3", "functools", "dos.store",
                                        "dos.admission.tree"})) == []


def test_the_memo_is_the_loaders_answer_and_follows_every_edit(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    denied = _edit(workspace, SESSION_B, "src/api/a.py")
    assert hook("pretool", "claude-code", denied).json is not None
    memo = json.loads((workspace / ".dos" / CACHE_NAME).read_text(encoding="utf-8"))
    assert memo["view"]["store_url"] == f"sqlite:///{workspace / '.dos' / 'dos.db'}"
    assert memo["view"]["on_error"] == "allow"

    # another store (empty): the lease in the old one no longer counts
    (workspace / "dos.toml").write_text(DOS_TOML + '[store]\nurl = "sqlite:///other.db"\n',
                                        encoding="utf-8")
    assert hook("pretool", "claude-code", denied).json is None
    # back to the first file, byte for byte: the lease counts again
    (workspace / "dos.toml").write_text(DOS_TOML, encoding="utf-8")
    assert _decision(hook("pretool", "claude-code", denied).stdout) == "deny"


def test_a_malformed_dos_toml_is_noticed_after_a_good_one_was_remembered(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    denied = _edit(workspace, SESSION_B, "src/api/a.py")
    assert _decision(hook("pretool", "claude-code", denied).stdout) == "deny"
    (workspace / "dos.toml").write_text(DOS_TOML + '[hooks]\non_error = "deny"\n'
                                        '[lanes.aliases]\nx = 5\n', encoding="utf-8")
    broken = hook("pretool", "claude-code", denied)
    assert "failing closed" in broken.json["hookSpecificOutput"]["permissionDecisionReason"]
    assert broken.stderr.startswith("dos hook pretool: error: ")
    assert broken.stderr.endswith('— denied ([hooks] on_error = "deny")\n')
    (workspace / "dos.toml").write_text(DOS_TOML + "[lanes\n", encoding="utf-8")
    syntax = hook("pretool", "claude-code", denied)  # on_error unreadable: fails closed
    assert _decision(syntax.stdout) == "deny"
    assert "TOML syntax error" in syntax.stderr
    assert syntax.stderr.endswith('— denied ([hooks] on_error = "deny")\n')


def test_a_damaged_memo_is_ignored_and_replaced(workspace: Path,
                                                hook: Callable[..., HookRun]) -> None:
    memo = workspace / ".dos" / CACHE_NAME
    denied = _edit(workspace, SESSION_B, "src/api/a.py")
    for junk in ("{not json", "[]", '{"key": 1, "view": {}}'):
        memo.write_text(junk, encoding="utf-8")
        assert _decision(hook("pretool", "claude-code", denied).stdout) == "deny"
        assert json.loads(memo.read_text(encoding="utf-8"))["view"]["root"] == str(workspace)


@pytest.mark.parametrize("setting", ["env", "driver"])
def test_nothing_is_remembered_for_an_env_store_or_a_driver(
        workspace: Path, hook: Callable[..., HookRun], monkeypatch: pytest.MonkeyPatch,
        setting: str) -> None:
    extra: tuple[str, ...] = ()
    if setting == "env":  # it may carry a password, and it is not in dos.toml
        monkeypatch.setenv("DOS_STORE_URL", f"sqlite:///{workspace / '.dos' / 'dos.db'}")
    else:
        extra = ("--driver", "workshop")
    done = hook("pretool", "claude-code", _edit(workspace, SESSION_A, "src/ui/b.py"), *extra)
    assert done.code == 0, done.stderr
    assert not (workspace / ".dos" / CACHE_NAME).exists()


def test_a_workspace_without_dos_dir_gets_none(git_repo: Callable[..., Any],
                                               hook: Callable[..., HookRun]) -> None:
    repo = git_repo("fresh")
    repo.commit("init", {"dos.toml": DOS_TOML})
    root = Path(repo.path).resolve()
    done = hook("pretool", "claude-code", _edit(root, SESSION_A, "src/api/a.py"))
    assert (done.code, done.stdout, done.stderr) == (0, "", "")
    assert not (root / ".dos").exists()  # a read creates nothing


def test_the_holder_is_still_allowed_through_the_memo(workspace: Path,
                                                      hook: Callable[..., HookRun]) -> None:
    own = _edit(workspace, SESSION_A, "src/api/a.py")
    for _ in range(2):  # the first call writes the memo, the second reads it
        done = hook("pretool", "claude-code", own)
        assert (done.code, done.stdout, done.stderr) == (0, "", "")
    assert (workspace / ".dos" / CACHE_NAME).is_file()


# The precursor check: a workspace without [precursor] pays one read of dos.toml on a
# read (a write has read it already), and imports nothing for it; with the table, the
# grammar comes remembered from the loader, and the check imports nothing heavy.
PRECURSOR_MODULES = {"dos.hooks.precursor_check", "dos.hooks.streams", "dos.gates.precursor",
                     "dos.gates.precursor_names", "dos.hooks.store_view",
                     "dos.hooks.toml_peek", "dos.hooks.hook_cache"}
GRAMMAR = '\n[precursor.requires]\nupdate_ticket = ["get_ticket"]\n'

_OPENS = """\
import sys
opened = []
def audit(event, args):
    if event in ("open", "sqlite3.connect") and isinstance(args[0], str):
        opened.append(args[0])
sys.addaudithook(audit)
""" + _PROBE.replace('"\\nMODULES "', '"\\nOPENED " + "|".join(opened) + "\\nMODULES "')


def _opens(root: Path, payload: dict[str, object]) -> tuple[str, list[str], set[str]]:
    """stdout, the workspace files the decision opened (in order), the modules it loaded."""
    done = subprocess.run([sys.executable, "-c", _OPENS], cwd=root, check=False,
                          input=json.dumps(payload).encode(), capture_output=True)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    head, _, modules = stderr.rpartition("\nMODULES ")
    head, _, opened = head.rpartition("\nOPENED ")
    assert head == "", head
    inside = [os.path.relpath(path, root) for path in opened.split("|")
              if path and Path(path).resolve().is_relative_to(root)]
    return done.stdout.decode(), inside, set(modules.split())


def test_without_precursor_a_read_reads_only_dos_toml(workspace: Path) -> None:
    stdout, opened, modules = _opens(workspace, _edit(workspace, SESSION_B, "src/api/a.py",
                                                      "mcp__jira__update_ticket"))
    assert (stdout, opened) == ("", ["dos.toml"])
    assert sorted(modules & (PRECURSOR_MODULES | {"_sqlite3", *HEAVY})) == []


def test_without_precursor_a_write_reads_dos_toml_once(workspace: Path) -> None:
    _probe(workspace, _edit(workspace, SESSION_B, "src/api/a.py"))  # remembers the view
    stdout, opened, modules = _opens(workspace, _edit(workspace, SESSION_B, "src/api/a.py"))
    assert _decision(stdout) == "deny"
    assert opened.count("dos.toml") == 1
    assert sorted(modules & {"dos.hooks.precursor_check", "dos.gates.precursor_names",
                             "dos.hooks.streams"}) == []


def test_a_gated_call_takes_the_remembered_grammar_and_nothing_heavy(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as handle:
        handle.write(GRAMMAR)
    gated = _edit(workspace, SESSION_B, "x", "update_ticket")
    assert _decision(_probe(workspace, gated)[0]) == "deny"  # the first call: no lookup yet
    hook("posttool", "claude-code", {**gated, "hook_event_name": "PostToolUse",
                                     "tool_name": "get_ticket", "tool_response": "t"})
    stdout, modules = _probe(workspace, gated)
    assert stdout == ""
    assert sorted(modules.intersection(HEAVY)) == []
    assert "_sqlite3" in modules  # it read the session's history
    stdout, opened, modules = _opens(workspace, _edit(workspace, SESSION_B, "x", "list_queues"))
    assert stdout == ""
    assert "_sqlite3" not in modules  # an ungated tool never opens the store
    assert opened.count("dos.toml") == 1


_ODD_TOMLS = [
    # the table in forms only the loader reads: still enforced
    DOS_TOML + '["precursor".requires]\nupdate_ticket = ["get_ticket"]\n',
    "precursor = { requires = { update_ticket = ['get_ticket'] } }\n" + DOS_TOML,
    # malformed tables: the loader's error, answered as on_error
    DOS_TOML + '[hooks]\non_error = "deny"\n[precursor]\nrequires = "get_ticket"\n',
    DOS_TOML + "[precursor.requires]\nupdate_ticket = 3\n",
]


@pytest.mark.parametrize("text", _ODD_TOMLS)
def test_the_remembered_grammar_fails_like_the_loader(
        workspace: Path, hook: Callable[..., HookRun], monkeypatch: pytest.MonkeyPatch,
        text: str) -> None:
    gated = _edit(workspace, SESSION_B, "x", "update_ticket")
    (workspace / "dos.toml").write_text(DOS_TOML + GRAMMAR, encoding="utf-8")
    assert _decision(hook("pretool", "claude-code", gated).stdout) == "deny"
    assert (workspace / ".dos" / CACHE_NAME).is_file()  # remembered, for the good text
    (workspace / "dos.toml").write_text(text, encoding="utf-8")
    first = hook("pretool", "claude-code", gated)  # the edit is noticed: the loader answers
    again = hook("pretool", "claude-code", gated)  # remembered, when the text loads at all
    monkeypatch.setenv("DOS_STORE_URL", f"sqlite:///{workspace / '.dos' / 'dos.db'}")
    loaded = hook("pretool", "claude-code", gated)  # never remembered: the loader answers
    replies = {(done.stdout, done.stderr, done.code) for done in (first, again, loaded)}
    assert len(replies) == 1, replies
    assert _decision(loaded.stdout) == "deny"  # malformed: the policy fails closed


def test_a_memo_that_drops_the_grammar_is_not_believed(
        workspace: Path, hook: Callable[..., HookRun]) -> None:
    (workspace / "dos.toml").write_text(DOS_TOML + GRAMMAR, encoding="utf-8")
    gated = _edit(workspace, SESSION_B, "x", "update_ticket")
    assert _decision(hook("pretool", "claude-code", gated).stdout) == "deny"
    memo_path = workspace / ".dos" / CACHE_NAME
    memo = json.loads(memo_path.read_text(encoding="utf-8"))
    assert memo["view"]["precursor"]["requires"] == {"update_ticket": ["get_ticket"]}
    memo["view"]["precursor"] = None  # as if the workspace had no [precursor] table
    memo_path.write_text(json.dumps(memo), encoding="utf-8")
    assert _decision(hook("pretool", "claude-code", gated).stdout) == "deny"
