"""The remembered parse of dos.toml (``.dos/config-cache.json``): a verb whose policy
has not changed skips the TOML parser, and any memo that does not belong to these exact
bytes in this very ``.dos`` directory is ignored, so the loader answers as it would
with no memo at all."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos import config as dos_config
from dos.config import ConfigError, load_workspace_config
from dos.toml_memo import MEMO_NAME

_TOML = """\
[lanes]
concurrent = ["web", "api"]
exclusive = ["global"]
autopick = ["web", "api"]

[lanes.trees]
web = ["src/web/**"]
api = ["src/api/**"]
global = ["**/*"]

[reasons.ZEBRA]
category = "OPERATOR_GATE"
summary = "listed first, sorted last"

[reasons.APPLE]
category = "OPERATOR_GATE"
summary = "listed second, sorted first"

[liveness]
grace_s = 120
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / ".dos").mkdir(parents=True)
    (root / "dos.toml").write_text(_TOML, encoding="utf-8")
    return root.resolve()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every dos.toml the real parser reads, by path."""
    seen: list[str] = []
    real = dos_config._parse_toml

    def counting(path: Path, text: str) -> dict[str, Any]:
        seen.append(str(path))
        return real(path, text)
    monkeypatch.setattr(dos_config, "_parse_toml", counting)
    return seen


def _memo(root: Path) -> Path:
    return root / ".dos" / MEMO_NAME


def test_the_second_load_is_answered_from_the_memo(workspace: Path, parses: list[str]) -> None:
    first = load_workspace_config(workspace)
    assert _memo(workspace).is_file()
    assert oct(_memo(workspace).stat().st_mode & 0o777) == "0o600"
    second = load_workspace_config(workspace)
    assert second == first
    assert len(parses) == 1
    # the loader reads [reasons] in the document's order, so the memo keeps it
    assert [spec.token for spec in second.reasons][-2:] == ["ZEBRA", "APPLE"]


def _damage_garbage(root: Path) -> None:
    _memo(root).write_bytes(b"\xff\xfe not json")


def _damage_truncated(root: Path) -> None:
    text = _memo(root).read_text(encoding="utf-8")
    _memo(root).write_text(text[: len(text) // 2], encoding="utf-8")


def _damage_shape(root: Path) -> None:
    _memo(root).write_text(json.dumps([1, 2, 3]), encoding="utf-8")


def _forge_with_tomllib_types(root: Path) -> None:
    memo = json.loads(_memo(root).read_text(encoding="utf-8"))
    memo["data"]["liveness"]["grace_s"] = 1.5e300 * 1e300  # inf: not plain JSON
    _memo(root).write_text(json.dumps(memo), encoding="utf-8")


def _foreign_root(root: Path) -> None:
    memo = json.loads(_memo(root).read_text(encoding="utf-8"))
    memo["key"]["root"] = "/somewhere/else"
    memo["data"]["liveness"]["grace_s"] = 1
    _memo(root).write_text(json.dumps(memo), encoding="utf-8")


def _cloned_dot_dos(root: Path) -> None:
    """A copy of .dos (as a repository or a backup brings it): another inode."""
    shutil.copytree(root / ".dos", root / ".dos-copy")
    memo = json.loads(_memo(root).read_text(encoding="utf-8"))
    memo["data"]["liveness"]["grace_s"] = 1
    shutil.rmtree(root / ".dos")
    (root / ".dos-copy").rename(root / ".dos")
    _memo(root).write_text(json.dumps(memo), encoding="utf-8")


def _symlinked(root: Path) -> None:
    outside = root.parent / "elsewhere.json"
    memo = json.loads(_memo(root).read_text(encoding="utf-8"))
    memo["data"]["liveness"]["grace_s"] = 1
    outside.write_text(json.dumps(memo), encoding="utf-8")
    _memo(root).unlink()
    _memo(root).symlink_to(outside)


def _symlinked_dot_dos(root: Path) -> None:
    (root / ".dos").rename(root / "real-dos")
    (root / ".dos").symlink_to(root / "real-dos")


@pytest.mark.parametrize("damage", [
    _damage_garbage, _damage_truncated, _damage_shape, _forge_with_tomllib_types,
    _foreign_root, _cloned_dot_dos, _symlinked, _symlinked_dot_dos,
], ids=lambda damage: damage.__name__.strip("_"))
def test_a_memo_that_is_not_this_files_is_ignored(
        workspace: Path, parses: list[str], damage: Callable[[Path], None]) -> None:
    expected = load_workspace_config(workspace)
    damage(workspace)
    assert load_workspace_config(workspace) == expected
    assert len(parses) == 2  # the parser answered again


def test_dos_toml_changed_in_place_with_the_same_size_and_time(
        workspace: Path, parses: list[str]) -> None:
    toml = workspace / "dos.toml"
    load_workspace_config(workspace)
    before = toml.stat()
    toml.write_text(_TOML.replace("grace_s = 120", "grace_s = 999"), encoding="utf-8")
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert toml.stat().st_size == before.st_size
    assert toml.stat().st_mtime_ns == before.st_mtime_ns
    assert load_workspace_config(workspace).liveness.grace_s == 999
    assert len(parses) == 2


def test_a_broken_dos_toml_fails_the_same_every_time(workspace: Path) -> None:
    load_workspace_config(workspace)
    (workspace / "dos.toml").write_text(_TOML + "[lanes\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="TOML syntax error"):
            load_workspace_config(workspace)


def test_a_toml_date_is_not_remembered(workspace: Path, parses: list[str]) -> None:
    (workspace / "dos.toml").write_text(_TOML + "\n[observe]\nsince = 2026-01-01\n",
                                        encoding="utf-8")
    with pytest.raises(ConfigError):
        load_workspace_config(workspace)  # the loader itself refuses the unknown key
    assert not _memo(workspace).exists()
    assert len(parses) == 1


def test_nothing_is_written_without_a_dos_directory(tmp_path: Path, parses: list[str]) -> None:
    (tmp_path / "dos.toml").write_text(_TOML, encoding="utf-8")
    first, second = load_workspace_config(tmp_path), load_workspace_config(tmp_path)
    assert first == second
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dos.toml"]
    assert len(parses) == 2
