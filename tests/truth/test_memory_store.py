"""Finding the memory store: the pure layout per OS (golden cases), and the CLI finding
real stores in a fake home — config dir, settings, worktrees, long paths, no store."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests.truth.test_memory_cases import dos, host_store

from dos.truth.memory.store_path import store_candidates

CASES = tomllib.loads((Path(__file__).resolve().parents[1] / "cases" / "memory"
                       / "store_paths.toml").read_text(encoding="utf-8"))["case"]
NOTE = "src/a.py holds the answer.\n"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_store_layout_per_os(case: dict[str, Any]) -> None:
    found = store_candidates(platform=case["platform"], env=case["env"], home=case["home"],
                             workspace=case["workspace"], git_root=case.get("git_root"),
                             auto_memory_directory=case.get("auto_memory_directory"))
    assert list(found) == case["expect"]


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    made = git_repo("ws")
    made.commit("init", {"src/a.py": "x\n"})
    return made


def _recall(capsys: pytest.CaptureFixture[str], workspace: Path, *extra: str
            ) -> tuple[int, Any, str]:
    code, out, err = dos(capsys, "--workspace", str(workspace), "memory", "recall", "a",
                         "--json", *extra)
    return code, json.loads(out) if out else None, err


def test_the_default_store_is_found_on_posix(repo: GitRepo,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    store = host_store(repo.path)
    store.mkdir(parents=True)
    (store / "a.md").write_text(NOTE, encoding="utf-8")
    assert store.parent.name.startswith("-")  # the host keeps the leading dash
    code, answer, _ = _recall(capsys, repo.path)
    assert (code, answer["verdict"]) == (0, "RECALL_FRESH")


def test_claude_config_dir_moves_the_store(repo: GitRepo, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    slug = re.sub(r"[^A-Za-z0-9]", "-", str(repo.path.resolve()))
    store = tmp_path / "cfg" / "projects" / slug / "memory"
    store.mkdir(parents=True)
    (store / "a.md").write_text("src/gone.py holds it.\n", encoding="utf-8")
    host_store(repo.path).mkdir(parents=True)  # the home one must not be read
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "cfg"))
    code, answer, _ = _recall(capsys, repo.path)
    assert (code, answer["verdict"]) == (3, "RECALL_STALE")


def test_auto_memory_directory_in_local_settings_wins(repo: GitRepo, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    user, local = tmp_path / "user-notes", tmp_path / "local-notes"
    for where, text in ((user, "src/gone.py holds it.\n"), (local, NOTE)):
        where.mkdir()
        (where / "a.md").write_text(text, encoding="utf-8")
    settings = Path.home() / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"autoMemoryDirectory": str(user)}), encoding="utf-8")
    assert _recall(capsys, repo.path)[0] == 3
    (repo.path / ".claude").mkdir()
    (repo.path / ".claude" / "settings.local.json").write_text(
        json.dumps({"autoMemoryDirectory": str(local)}), encoding="utf-8")
    assert _recall(capsys, repo.path)[0] == 0


def test_project_settings_cannot_move_the_store(repo: GitRepo, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text(NOTE, encoding="utf-8")
    (repo.path / ".claude").mkdir()
    (repo.path / ".claude" / "settings.json").write_text(
        json.dumps({"autoMemoryDirectory": str(elsewhere)}), encoding="utf-8")
    code, _, err = _recall(capsys, repo.path)
    assert code == 2
    assert "could not locate the agent-memory store" in err


def test_a_linked_worktree_reads_its_main_trees_notes(repo: GitRepo, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", str(linked), "-b", "feature")
    store = host_store(repo.path)
    store.mkdir(parents=True)
    (store / "a.md").write_text(NOTE, encoding="utf-8")
    code, answer, _ = _recall(capsys, linked)
    assert (code, answer["verdict"]) == (0, "RECALL_FRESH")


def test_a_long_path_finds_the_store_under_any_hash_suffix(
        git_repo: Callable[..., GitRepo], capsys: pytest.CaptureFixture[str]) -> None:
    made = git_repo("d" * 120 + "/" + "e" * 100)
    made.commit("init", {"src/a.py": "x\n"})
    slug = re.sub(r"[^A-Za-z0-9]", "-", str(made.path.resolve()))
    assert len(slug) > 200
    store = Path.home() / ".claude" / "projects" / f"{slug[:200]}-otherhash" / "memory"
    store.mkdir(parents=True)
    (store / "a.md").write_text(NOTE, encoding="utf-8")
    assert _recall(capsys, made.path)[0] == 0


def test_no_store_is_an_error_not_zero_memories(repo: GitRepo,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["recall", "a"], ["verify"]):
        code, out, err = dos(capsys, "--workspace", str(repo.path), "memory", *argv)
        assert (code, out) == (2, "")
        assert "could not locate the agent-memory store" in err
        assert "fix: pass --store DIR" in err
    code, _, err = dos(capsys, "--workspace", str(repo.path), "memory", "verify", "--store",
                       str(repo.path / "nope"))
    assert code == 2
    assert "is not a directory" in err


def test_a_name_is_checked_before_the_store_is_looked_for(
        repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = dos(capsys, "--workspace", str(repo.path), "memory", "recall",
                       "/etc/passwd")
    assert code == 2
    assert "is not a memory name" in err


def test_a_note_linked_out_of_the_store_is_not_a_note(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = host_store(repo.path)
    store.mkdir(parents=True)
    outside = tmp_path / "secret.md"
    outside.write_text(NOTE, encoding="utf-8")
    (store / "a.md").symlink_to(outside)
    (store / "MEMORY.md").write_text("- [a](a.md)\n", encoding="utf-8")
    code, _, err = _recall(capsys, repo.path)
    assert code == 2
    assert "no memory named 'a'" in err
    code, out, _ = dos(capsys, "--workspace", str(repo.path), "memory", "verify", "--json")
    assert (code, json.loads(out)) == (0, [])  # the index is not a note either


def test_outside_git_paths_are_still_checked_and_shas_abstain(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    (plain / "src").mkdir(parents=True)
    (plain / "src" / "a.py").write_text("x\n", encoding="utf-8")
    store = tmp_path / "notes"
    store.mkdir()
    (store / "a.md").write_text("src/a.py holds x.\n", encoding="utf-8")
    (store / "b.md").write_text("Fixed in 1a2b3c4d.\n", encoding="utf-8")
    (store / "c.md").write_text("src/a.py was deleted.\n", encoding="utf-8")
    code, out, _ = dos(capsys, "--workspace", str(plain), "memory", "verify", "--store",
                       str(store), "--json")
    assert code == 3
    assert {note["file"]: note["verdict"] for note in json.loads(out)} == {
        "a.md": "RECALL_FRESH", "b.md": "RECALL_UNVERIFIABLE", "c.md": "RECALL_STALE"}
