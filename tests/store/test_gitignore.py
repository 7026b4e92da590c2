"""Item 8 (.dos/.gitignore): the store's directory ignores itself (``*``), created with
the store, so the store never shows in ``git status`` nor trips ``dos scope-gate``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.leases import LANES

from dos.cli import main


def _dos(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--workspace", str(root), *args])
    return code, capsys.readouterr().out


def test_the_store_never_shows_in_git_status_nor_trips_scope_gate(
        git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": LANES, "src/a.py": "a = 1\n"})
    root = Path(repo.path).resolve()
    assert _dos(root, capsys, "lease-lane", "acquire", "--lane", "src", "--owner", "A")[0] == 0
    assert _dos(root, capsys, "id-alloc", "allocate", "ticket")[0] == 0
    dot = root / ".dos"
    assert (dot / "dos.db").exists()
    assert (dot / "dos.db.head").exists()
    assert (dot / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    repo.write("src/a.py", "a = 2\n")
    code, out = _dos(root, capsys, "scope-gate", "--lane", "src")
    assert code == 0, out
    # Without it, the store's own files would be untracked changes outside the lane.
    (dot / ".gitignore").unlink()
    assert ".dos/" in repo.git("status", "--porcelain")
    assert _dos(root, capsys, "scope-gate", "--lane", "src")[0] != 0


def test_an_existing_gitignore_is_left_alone(
        git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": LANES, ".dos/.gitignore": "*.db\n"})
    root = Path(repo.path).resolve()
    assert _dos(root, capsys, "lease-lane", "acquire", "--lane", "src", "--owner", "A")[0] == 0
    assert (root / ".dos" / ".gitignore").read_text(encoding="utf-8") == "*.db\n"


def test_a_postgres_workspace_gets_one_too_for_its_head_anchor(tmp_path: Path) -> None:
    from dos.store.head import Head, advance_head

    path = tmp_path / "ws" / ".dos" / "journal-ws-1.head"
    advance_head(str(path), Head("postgresql://h:5432/db#ws-1", 3, "a" * 64))
    assert (path.parent / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_reads_create_no_directory(git_repo: Callable[..., Any],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": LANES})
    root = Path(repo.path).resolve()
    for args in (("lease-lane", "live"), ("journal", "verify"), ("journal", "tail")):
        assert _dos(root, capsys, *args)[0] == 0
    assert not (root / ".dos").exists()
