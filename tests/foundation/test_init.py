"""dos init: derived lanes, escaping, no silent overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dos.cli import main
from dos.config import load_workspace_config


def test_one_lane_per_source_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("src", "docs", "tests", ".git", "node_modules", "__pycache__"):
        (tmp_path / name).mkdir()
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "derived 3 concurrent lane(s) (docs, src, tests)" in out
    lanes = load_workspace_config(tmp_path).lanes
    assert lanes.concurrent == ("docs", "src", "tests")
    assert lanes.exclusive == ("global",)
    assert lanes.tree_for("src") == ("src/**",)
    assert lanes.tree_for("global") == ("**/*",)


def test_awkward_names_are_escaped(tmp_path: Path) -> None:
    for name in ('we"ird', "back\\slash", "star*dir", "ünï"):
        (tmp_path / name).mkdir()
    assert main(["init", str(tmp_path)]) == 0
    lanes = load_workspace_config(tmp_path).lanes
    assert set(lanes.concurrent) == {'we"ird', "back\\slash", "star*dir", "ünï"}
    assert lanes.tree_for("star*dir") == ("star[*]dir/**",)


def test_more_than_twelve_dirs_are_all_kept(tmp_path: Path) -> None:
    for index in range(15):
        (tmp_path / f"d{index:02d}").mkdir()
    assert main(["init", str(tmp_path)]) == 0
    assert len(load_workspace_config(tmp_path).lanes.concurrent) == 15


def test_existing_file_needs_force_and_is_backed_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = "# mine\n[lanes]\nconcurrent = []\n"
    (tmp_path / "dos.toml").write_text(original, encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "dos.toml").read_text(encoding="utf-8") == original
    (tmp_path / "app").mkdir()
    assert main(["init", str(tmp_path), "--force", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert Path(result["backup"]).read_text(encoding="utf-8") == original
    assert "app" in result["lanes"]


def test_example_from_driver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path), "--example", "workshop"]) == 0
    assert "'workshop' driver" in capsys.readouterr().out
    lanes = load_workspace_config(tmp_path).lanes
    assert lanes.resolve("ship") == "release"
    assert lanes.exclusive == ("release", "global")


def test_init_writes_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    assert main(["init", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dos.toml", "src"]


def test_dos_toml_gets_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        assert main(["init", str(tmp_path)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "dos.toml").stat().st_mode) == 0o644
