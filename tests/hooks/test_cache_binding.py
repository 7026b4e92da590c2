"""The hook cache (`.dos/hook-cache.json`) is bound to the store and the `dos.toml` it
describes: a cache that is damaged, edited, copied from another workspace or left
over from another store is ignored and rebuilt, and can never switch enforcement off.
It is read and written only through a real `.dos` directory, without following links.
Before any store exists the hook answers from `dos.toml`'s text, creating nothing."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, SESSION_B, HookRun

from dos.hooks.main import toml_text
from dos.hooks.store_view import CACHE_NAME, backed_by, plain_view, view_of
from dos.workspace import load_config


def _edit(root: Path, session: str, rel: str) -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": "Edit", "tool_input": {"file_path": str(root / rel)}}


def _denied(done: HookRun) -> bool:
    return bool(done.json) and done.json["hookSpecificOutput"]["permissionDecision"] == "deny"


def _memo(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / ".dos" / CACHE_NAME).read_text(encoding="utf-8"))
    return data


def _forge(workspace: Path, /, **view: object) -> None:
    memo = _memo(workspace)
    memo["view"].update(view)
    (workspace / ".dos" / CACHE_NAME).write_text(json.dumps(memo), encoding="utf-8")


@pytest.fixture
def remembered(workspace: Path, hook: Callable[..., HookRun]) -> Path:
    """The workspace after one denied call: its view is in the cache."""
    assert _denied(hook("pretool", "claude-code", _edit(workspace, SESSION_B, "src/api/a.py")))
    assert (workspace / ".dos" / CACHE_NAME).is_file()
    return workspace


@pytest.mark.parametrize("forged", [
    {"store_url": "sqlite:///{root}/.dos/empty.db"}, {"store_url": "sqlite:////tmp/empty.db"},
    {"root": "/"}, {"root": "{root}/src"}, {"on_error": "deny"},
    {"allow_config_edits": True}, {"busy_timeout_ms": "5000"}, {"store_url": "postgresql://x/y"},
])
def test_an_edited_cache_is_ignored_and_rebuilt(forged: dict[str, object], remembered: Path,
                                                hook: Callable[..., HookRun]) -> None:
    original = _memo(remembered)
    _forge(remembered, **{key: value.replace("{root}", str(remembered))
                          if isinstance(value, str) else value for key, value in forged.items()})
    assert _denied(hook("pretool", "claude-code", _edit(remembered, SESSION_B, "src/api/a.py")))
    refused = hook("pretool", "claude-code", _edit(remembered, SESSION_B, "dos.toml"))
    assert "allow_config_edits" in refused.json["hookSpecificOutput"]["permissionDecisionReason"]
    assert _memo(remembered) == original


def test_a_cache_copied_from_another_workspace_is_ignored(
        remembered: Path, git_repo: Callable[..., Any], hook: Callable[..., HookRun],
        dos_cli: Callable[..., HookRun]) -> None:
    repo = git_repo("other")
    repo.commit("init", {"dos.toml": DOS_TOML})
    other = Path(repo.path).resolve()
    assert dos_cli("--workspace", str(other), "lease-lane", "acquire", "--lane", "ui",
                   "--owner", SESSION_A).code == 0
    shutil.copy(remembered / ".dos" / CACHE_NAME, other / ".dos" / CACHE_NAME)
    assert _denied(hook("pretool", "claude-code", _edit(other, SESSION_B, "src/ui/b.py")))
    assert not _denied(hook("pretool", "claude-code", _edit(other, SESSION_B, "src/api/a.py")))
    assert _memo(other)["view"]["root"] == str(other)


def test_a_cache_of_a_replaced_store_is_ignored(remembered: Path, hook: Callable[..., HookRun],
                                                dos_cli: Callable[..., HookRun]) -> None:
    before = _memo(remembered)["key"]["store"]
    store = remembered / ".dos" / "dos.db"
    assert before == [store.stat().st_dev, store.stat().st_ino]
    # the store is moved aside and a new one made; the old cache still names the path
    store.rename(remembered / ".dos" / "old.db")
    assert dos_cli("--workspace", str(remembered), "lease-lane", "acquire", "--lane", "ui",
                   "--owner", SESSION_A).code == 0
    assert _denied(hook("pretool", "claude-code", _edit(remembered, SESSION_B, "src/ui/b.py")))
    assert _memo(remembered)["key"]["store"] != before


def test_the_cache_is_private_and_written_atomically(remembered: Path) -> None:
    found = (remembered / ".dos" / CACHE_NAME).stat()
    assert stat.S_IMODE(found.st_mode) == 0o600
    assert sorted(path.name for path in (remembered / ".dos").iterdir()
                  if path.name.startswith(f".{CACHE_NAME}")) == []


def test_a_symlinked_cache_is_not_followed(remembered: Path, tmp_path: Path,
                                           hook: Callable[..., HookRun]) -> None:
    elsewhere = tmp_path / "planted.json"
    shutil.copy(remembered / ".dos" / CACHE_NAME, elsewhere)
    (remembered / ".dos" / CACHE_NAME).unlink()
    (remembered / ".dos" / CACHE_NAME).symlink_to(elsewhere)
    assert _denied(hook("pretool", "claude-code", _edit(remembered, SESSION_B, "src/api/a.py")))
    assert not (remembered / ".dos" / CACHE_NAME).is_symlink()  # replaced, not written through
    assert json.loads(elsewhere.read_text(encoding="utf-8"))["view"]["root"] == str(remembered)


def test_a_symlinked_dos_dir_gets_no_cache(workspace: Path, tmp_path: Path,
                                           hook: Callable[..., HookRun]) -> None:
    outside = tmp_path / "outside-state"
    shutil.move(workspace / ".dos", outside)
    (workspace / ".dos").symlink_to(outside)
    for _ in range(2):
        done = hook("pretool", "claude-code", _edit(workspace, SESSION_B, "src/api/a.py"))
        assert _denied(done)  # the store behind the link still answers
    assert not (outside / CACHE_NAME).exists()


# dos.toml texts, and whether the no-store shortcut may answer for them
TOMLS = [
    ("", True), (DOS_TOML, True), (DOS_TOML + '[hooks]\non_error = "deny"\n', False),
    (DOS_TOML + '[hooks]\non_error = "allow"\n', True),
    (DOS_TOML + "[hooks]\nallow_config_edits = true\n", False),
    (DOS_TOML + "[hooks]\nallow_config_edits = false\n", False),
    (DOS_TOML + '[store]\nurl = "sqlite:///state/x.db"\n', False),
    (DOS_TOML + '[paths]\nstore = "state/y.db"\n', False),
    (DOS_TOML + "[store]\nbusy_timeout_ms = 9\n", False),
    (DOS_TOML + '# on_error = "deny" would fail closed\n', True),
    ('hooks = { on_error = "deny", allow_config_edits = false }\n' + DOS_TOML, False),
]


@pytest.mark.parametrize(("text", "shortcut"), TOMLS)
def test_the_loaders_view_is_backed_by_the_text(text: str, shortcut: bool, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOS_STORE_URL", raising=False)
    (tmp_path / "dos.toml").write_text(text, encoding="utf-8")
    root = str(tmp_path.resolve())
    view = view_of(load_config(root, None))
    assert backed_by(view, toml_text(root), root)
    plain = plain_view(root, toml_text(root))
    assert (plain is not None) == shortcut
    if plain is not None:  # the no-store shortcut agrees with the loader where it answers
        assert (plain.root, plain.store_url, plain.allow_config_edits, plain.busy_timeout_ms) == (
            view.root, view.store_url, view.allow_config_edits, view.busy_timeout_ms)
        assert view.on_error == "allow"


_PROBE = """\
import sys
before = set(sys.modules)
from dos.cli import main
code = main(["hook", "pretool"])
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(set(sys.modules) - before)) + "\\n")
sys.exit(code)
"""


def _probe(root: Path, payload: dict[str, object]) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=root, check=False,
                          input=json.dumps(payload).encode(), capture_output=True)
    head, _, modules = done.stderr.decode().rpartition("\nMODULES ")
    assert (done.returncode, head) == (0, "")
    return done.stdout.decode(), set(modules.split())


def test_no_store_yet_answers_from_the_text_and_creates_nothing(
        git_repo: Callable[..., Any]) -> None:
    repo = git_repo("fresh")
    repo.commit("init", {"dos.toml": DOS_TOML})
    root = Path(repo.path).resolve()
    stdout, modules = _probe(root, _edit(root, SESSION_B, "src/api/a.py"))
    assert stdout == ""
    assert sorted(modules & {"tomllib", "dataclasses", "typing", "dos.config", "json", "re",
                             "_sqlite3", "dos.store.sqlite"}) == []
    for rel in (".dos/dos.db", "dos.toml"):
        stdout, _ = _probe(root, _edit(root, SESSION_B, rel))
        assert json.loads(stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert not (root / ".dos").exists()
