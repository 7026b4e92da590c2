"""HEAD read from .git's files (dos.git.head_file) answers exactly what
``git rev-parse --is-shallow-repository --verify HEAD^{commit}`` answers whenever it
answers at all, and leaves every case it cannot read plainly to git."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo

from dos.git import head_file
from dos.git.head_file import head_commit
from dos.git.history import resolve_with_depth
from dos.git.progress import head_sha, resolve_commit


def _git_answer(root: Path) -> tuple[str, bool] | None:
    done = subprocess.run(["git", "rev-parse", "--is-shallow-repository", "--verify",
                           "--quiet", "HEAD^{commit}"], cwd=root, capture_output=True,
                          text=True, check=False)
    words = done.stdout.split()
    return (words[1], words[0] == "true") if done.returncode == 0 and len(words) == 2 \
        else None


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo()
    made.commit("first", {"a.txt": "a\n"})
    made.commit("second", {"b.txt": "b\n"})
    return made


def test_a_branch_with_a_loose_commit_is_read_from_the_files(repo: GitRepo) -> None:
    assert head_commit(repo.path) == _git_answer(repo.path)
    assert head_commit(repo.path) is not None


def test_a_detached_head_is_read_too(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    assert head_commit(repo.path) == _git_answer(repo.path)
    assert head_commit(repo.path) is not None


def test_a_shallow_clone_says_so(repo: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)],
                   check=True)
    # a clone's commits are packed; the agent's next commit is loose
    subprocess.run(["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@x.invalid",
                    "commit", "-q", "--allow-empty", "-m", "loose"], check=True)
    read = head_commit(clone)
    assert read == _git_answer(clone)
    assert read is not None
    assert read[1] is True


@pytest.mark.parametrize("change", [
    ["pack-refs", "--all"],                  # the branch lives in packed-refs only
    ["gc", "-q"],                            # the commit is packed
])
def test_packed_refs_and_objects_are_left_to_git(repo: GitRepo, change: list[str]) -> None:
    repo.git(*change)
    assert head_commit(repo.path) is None
    assert resolve_with_depth(repo.path, "HEAD") == _git_answer(repo.path)
    assert head_sha(repo.path) == resolve_commit(repo.path, "HEAD") == repo.git(
        "rev-parse", "HEAD")


def test_a_branch_pointing_at_a_tree_is_git_s_to_refuse(repo: GitRepo) -> None:
    tree = repo.git("rev-parse", "HEAD^{tree}")
    (repo.path / ".git" / "refs" / "heads" / "odd").write_text(tree + "\n", encoding="ascii")
    repo.git("symbolic-ref", "HEAD", "refs/heads/odd")
    assert head_commit(repo.path) is None
    assert _git_answer(repo.path) is None
    assert head_sha(repo.path) == ""


def test_an_unborn_branch_and_a_missing_repository_read_nothing(
        git_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    empty = git_repo()
    assert head_commit(empty.path) is None
    assert head_commit(tmp_path / "nowhere") is None


def test_a_linked_worktree_is_left_to_git(repo: GitRepo, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", str(linked))
    assert head_commit(linked) is None
    assert head_sha(linked) == repo.git("rev-parse", "HEAD")


@pytest.mark.parametrize("head", ["ref: refs/heads/../../config\n", "ref: refs/tags/v1\n",
                                  "ref: refs/heads/main", "0" * 39 + "\n", "ZZ" * 20 + "\n",
                                  "ref: refs/heads/.hidden\n", ""])
def test_any_other_head_is_left_to_git(repo: GitRepo, head: str) -> None:
    (repo.path / ".git" / "HEAD").write_text(head, encoding="ascii")
    assert head_commit(repo.path) is None


def test_a_repository_another_user_owns_is_left_to_git(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_file.os, "geteuid", lambda: os.getuid() + 1)
    assert head_commit(repo.path) is None


def test_a_damaged_loose_object_is_left_to_git(repo: GitRepo) -> None:
    sha = repo.git("rev-parse", "HEAD")
    path = repo.path / ".git" / "objects" / sha[:2] / sha[2:]
    path.chmod(0o644)
    path.write_bytes(b"not zlib at all")
    assert head_commit(repo.path) is None


@pytest.mark.parametrize("marker", ["commondir", "reftable"])
def test_a_git_dir_that_borrows_refs_or_keeps_reftable_is_left_to_git(
        repo: GitRepo, marker: str) -> None:
    (repo.path / ".git" / marker).write_text("x\n", encoding="ascii")
    assert head_commit(repo.path) is None


def test_without_git_the_files_are_not_read(repo: GitRepo, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Git's answer (nothing can be verified) stands on a machine without git."""
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert head_commit(repo.path) is None
    assert head_sha(repo.path) == ""
