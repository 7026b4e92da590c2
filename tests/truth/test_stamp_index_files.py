"""The files each weighed commit changed, filed in the stamp index: read from git once,
then from the index, and always what git says — a warm verify starts no git for them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from dos import config as dos_config
from dos.git import history
from dos.git.index_log import object_dir
from dos.truth.oracle import PhaseQuery, verify_many
from dos.truth.ship_evidence import GitShipEvidence
from dos.truth.ship_evidence_indexed import IndexedShipEvidence, index_path
from dos.truth.stamp_index_file import cached_files, keep_files

PHASES = [PhaseQuery("AUTH", f"AUTH{n}") for n in range(1, 6)]


def _repo(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("AUTH1: login", {"src/a.py": "a\n", "docs/a.md": "a\n"})
    repo.commit("AUTH2: nothing in it", allow_empty=True)
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("AUTH3: on the side", {"src/ü ber.py": "c\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("chore: unrelated", {"src/d.py": "d\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "AUTH4: merge the side", "side")
    repo.commit("v1.2.0: release notes for AUTH5", {"CHANGELOG.md": "AUTH5\n"})
    (repo.path / ".dos").mkdir()
    return repo


def _verdicts(repo: Any, evidence: GitShipEvidence) -> list[dict[str, Any]]:
    config = dos_config.load_workspace_config(repo.path)
    return [v.to_dict() for v in verify_many(PHASES, config, evidence=evidence)]


def _filed(repo: Any) -> dict[str, str]:
    conn = sqlite3.connect(repo.path / ".dos" / "stamp-index.sqlite")
    try:
        return dict(conn.execute("SELECT sha, paths FROM files").fetchall())
    finally:
        conn.close()


def test_a_warm_verify_reads_the_files_from_the_index(
        git_repo: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(git_repo)
    config = dos_config.load_workspace_config(repo.path)
    scanned = _verdicts(repo, GitShipEvidence(config))
    assert _verdicts(repo, IndexedShipEvidence(config)) == scanned
    assert len(_filed(repo)) >= 4

    def no_git(*_: object) -> None:
        raise AssertionError("git was asked for files the index holds")

    monkeypatch.setattr(history, "touched_files", no_git)
    assert _verdicts(repo, IndexedShipEvidence(config)) == scanned


def test_what_is_filed_is_what_git_says(git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    config = dos_config.load_workspace_config(repo.path)
    _verdicts(repo, IndexedShipEvidence(config))
    filed = _filed(repo)
    commits = [c for c in history.scan_messages(repo.path, "HEAD") if c.sha in filed]
    from_git = history.touched_files(repo.path, commits)
    assert {sha: tuple(p.split("\0")) if p else () for sha, p in filed.items()} == from_git
    assert () in from_git.values()  # the empty commit is filed as empty, not left out
    assert any("src/ü ber.py" in paths for paths in from_git.values())


def test_a_foreign_or_unreadable_index_files_nothing_and_answers_nothing(
        git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    config = dos_config.load_workspace_config(repo.path)
    _verdicts(repo, IndexedShipEvidence(config))
    path, objects = index_path(config), object_dir(repo.path)
    sha = next(iter(_filed(repo)))
    assert cached_files(path, objects, [sha])
    assert cached_files(path, objects + "-elsewhere", [sha]) == {}
    keep_files(path, objects + "-elsewhere", {"f" * 40: ("x",)})
    assert "f" * 40 not in _filed(repo)
    path.write_bytes(b"not a database at all" * 100)
    assert cached_files(path, objects, [sha]) == {}
    keep_files(path, objects, {sha: ("x",)})  # a cache: a damaged file is left alone
    assert path.read_bytes().startswith(b"not a database")
    scanned = _verdicts(repo, GitShipEvidence(config))
    assert _verdicts(repo, IndexedShipEvidence(config)) == scanned  # rebuilt, then filed


def test_a_path_that_cannot_be_stored_is_not_filed(git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    config = dos_config.load_workspace_config(repo.path)
    _verdicts(repo, IndexedShipEvidence(config))
    path, objects = index_path(config), object_dir(repo.path)
    keep_files(path, objects, {"a" * 40: ("bad-\udcff-name",), "b" * 40: ("fine", "also")})
    assert cached_files(path, objects, ["a" * 40, "b" * 40]) == {"b" * 40: ("fine", "also")}


def test_a_clone_made_shallow_stops_using_what_was_filed(
        git_repo: Callable[..., Any], tmp_path: Any) -> None:
    """A boundary commit's change depends on the clone's depth: filed when the clone was
    whole, it would say the empty AUTH2 changed nothing where git now says it added all."""
    origin = git_repo("origin")
    origin.commit("AUTH1: login", {"src/a.py": "a\n"})
    origin.commit("AUTH2: nothing in it", allow_empty=True)
    origin.commit("AUTH3: reset", {"src/c.py": "c\n"})
    clone = tmp_path / "clone"
    origin.git("clone", "-q", f"file://{origin.path}", str(clone))
    (clone / ".dos").mkdir()
    config = dos_config.load_workspace_config(clone)
    whole = [v.to_dict() for v in verify_many(PHASES, config,
                                              evidence=IndexedShipEvidence(config))]
    assert whole[1]["shipped"] is False
    origin.git("-C", str(clone), "fetch", "-q", "--depth", "2", "origin", "main")
    scanned = [v.to_dict() for v in verify_many(PHASES, config,
                                                evidence=GitShipEvidence(config))]
    evidence = IndexedShipEvidence(config)
    assert evidence.shallow
    assert [v.to_dict() for v in verify_many(PHASES, config, evidence=evidence)] == scanned
