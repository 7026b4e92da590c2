"""Where the stamp index binds itself: read from ``.git`` without starting git, it agrees
with ``git rev-parse --git-common-dir`` in a plain repository, a linked worktree and a
submodule, and steps aside (git answers) wherever ``.git`` might not tell the truth."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo

from dos.git import index_log


def _git_answer(root: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=root, check=True,
                          capture_output=True, text=True)
    return os.path.realpath(root / done.stdout.strip() / "objects")


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo("main")
    made.commit("base", {"a.txt": "a\n"})
    return made


def test_a_plain_repository_is_answered_without_starting_git(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _git_answer(repo.path)

    def no_git(*_: object, **__: object) -> None:
        raise AssertionError("git was started")
    monkeypatch.setattr(index_log, "run_git", no_git)
    assert index_log.object_dir(repo.path) == expected


def test_a_linked_worktree_shares_the_main_object_store(repo: GitRepo, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", str(linked))
    assert (linked / ".git").is_file()
    assert index_log._object_dir_on_disk(linked) == _git_answer(linked) == _git_answer(repo.path)


def test_a_submodule(repo: GitRepo, git_repo: Callable[..., GitRepo]) -> None:
    inner = git_repo("inner")
    inner.commit("inner", {"b.txt": "b\n"})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner.path), "sub")
    sub = repo.path / "sub"
    assert (sub / ".git").is_file()
    assert index_log._object_dir_on_disk(sub) == _git_answer(sub)


def test_git_answers_where_dot_git_might_not_tell_the_truth(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.path / "nested").mkdir()
    assert index_log._object_dir_on_disk(repo.path / "nested") is None  # not the top level
    assert index_log.object_dir(repo.path / "nested") == _git_answer(repo.path)
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(repo.path / ".git" / "objects"))
    assert index_log._object_dir_on_disk(repo.path) is None
    monkeypatch.delenv("GIT_OBJECT_DIRECTORY")
    (repo.path / "odd").mkdir()
    (repo.path / "odd" / ".git").write_text("not a gitdir line\n", encoding="utf-8")
    assert index_log._object_dir_on_disk(repo.path / "odd") is None
