"""The stamp index: a cache in .dos/ that changes no answer, whatever state it is in."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos import config as dos_config
from dos.truth.oracle import PhaseQuery, verify_many
from dos.truth.ship_evidence import GitShipEvidence
from dos.truth.ship_evidence_indexed import IndexedShipEvidence, index_path
from dos.truth.stamp_index_file import index_state

PHASES = [PhaseQuery("AUTH", f"AUTH{n}") for n in range(1, 7)] + [PhaseQuery("GONE", "GONE1")]


def _indexed_repo(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("AUTH1: login", {"src/a.py": "a\n"})
    repo.commit("fix: refresh (AUTH AUTH2)", {"src/b.py": "b\n"})
    repo.commit("AUTH3: reset", {"src/c.py": "c\n"})
    (repo.path / ".dos").mkdir()
    return repo


def _answers(repo: Any, ref: str = "HEAD") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(through the index, from a full scan); the index must really have answered."""
    config = dos_config.load_workspace_config(repo.path)
    indexed = IndexedShipEvidence(config, ref)
    through_index = [v.to_dict() for v in verify_many(PHASES, config, ref=ref,
                                                      evidence=indexed)]
    assert indexed.index_problem == ""
    assert index_state(index_path(config), True).tip == indexed.head
    scanned = [v.to_dict() for v in verify_many(PHASES, config, ref=ref,
                                                evidence=GitShipEvidence(config, ref))]
    return through_index, scanned


def _state(repo: Any) -> Any:
    return index_state(repo.path / ".dos" / "stamp-index.sqlite", True)


def test_no_dos_directory_means_no_index_file(git_repo: Callable[..., Any],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("AUTH1: login", {"src/a.py": "a\n"})
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "verify", "AUTH", "AUTH1"])
    assert code == 0
    assert "SHIPPED" in out
    assert not (repo.path / ".dos").exists()


def test_new_commits_extend_the_index_without_a_rebuild(
        git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    first, scanned = _answers(repo)
    assert first == scanned
    assert _state(repo).commits == 3
    built = sqlite3.connect(repo.path / ".dos" / "stamp-index.sqlite").execute(
        "SELECT value FROM meta WHERE key = 'built_ms'").fetchone()
    repo.commit("AUTH4: profile", {"src/d.py": "d\n"})
    second, scanned = _answers(repo)
    assert second == scanned
    assert second[3]["shipped"] is True
    assert _state(repo).commits == 4
    assert sqlite3.connect(repo.path / ".dos" / "stamp-index.sqlite").execute(
        "SELECT value FROM meta WHERE key = 'built_ms'").fetchone() == built


def test_commits_of_another_branch_do_not_count(git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("AUTH5: only on side", {"src/e.py": "e\n"})
    side, scanned = _answers(repo, "side")
    assert side == scanned
    assert side[4]["shipped"] is True
    repo.git("checkout", "-q", "main")
    main, scanned = _answers(repo)
    assert main == scanned
    assert main[4]["shipped"] is False
    assert (_state(repo).commits, _state(repo).reachable) == (4, 3)


def test_a_rewrite_whose_old_tip_is_gone_is_reindexed(git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    _answers(repo)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit("AUTH6: instead", {"src/f.py": "f\n"})
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    after, scanned = _answers(repo)
    assert after == scanned
    assert _state(repo).commits == 3
    assert [v["shipped"] for v in after] == [True, False, False, False, False, True, False]


def test_a_reverted_rewrite_keeps_old_commits_but_not_their_ships(
        git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    _answers(repo)
    repo.git("commit", "-q", "--amend", "-m", "AUTH5: renamed")
    after, scanned = _answers(repo)
    assert after == scanned
    assert after[2]["shipped"] is False
    assert after[4]["shipped"] is True
    assert (_state(repo).commits, _state(repo).reachable) == (4, 3)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "other-repo"])
def test_a_damaged_or_foreign_index_gives_the_full_scan_answer(
        git_repo: Callable[..., Any], damage: str) -> None:
    repo = _indexed_repo(git_repo)
    _answers(repo)
    path = repo.path / ".dos" / "stamp-index.sqlite"
    if damage == "garbage":
        path.write_bytes(b"not a database at all\n" * 200)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1500])
    elif damage == "foreign":
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE meta(key TEXT, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('format', 'someone-else/9')")
    else:
        other = git_repo()
        other.commit("AUTH5: elsewhere", {"x.py": "x\n"})
        (other.path / ".dos").mkdir()
        _answers(other)
        path.write_bytes((other.path / ".dos" / "stamp-index.sqlite").read_bytes())
    after, scanned = _answers(repo)
    assert after == scanned
    assert [v["shipped"] for v in after[:5]] == [True, False, True, False, False]
    assert _state(repo).problem == ""
    assert _state(repo).commits == 3


def test_a_changed_stamp_grammar_reuses_no_stale_answer(git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    before, _ = _answers(repo)
    assert before[1]["shipped"] is False  # trailers are off by default
    (repo.path / "dos.toml").write_text("[stamp]\ntrailer_stamp = true\n", encoding="utf-8")
    after, scanned = _answers(repo)
    assert after == scanned
    assert after[1]["shipped"] is True


def test_cli_no_index_and_doctor(git_repo: Callable[..., Any],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo = _indexed_repo(git_repo)
    base = ["--workspace", str(repo.path)]
    code, out, _ = run_cli(capsys, [*base, "verify", "AUTH", "AUTH3", "--no-index"])
    assert code == 0
    assert "SHIPPED AUTH AUTH3" in out
    assert not (repo.path / ".dos" / "stamp-index.sqlite").exists()
    code, out, _ = run_cli(capsys, [*base, "verify", "AUTH", "AUTH3", "--explain"])
    assert code == 0
    assert "SHIPPED AUTH AUTH3" in out
    _, out, _ = run_cli(capsys, [*base, "doctor", "--json"])
    index = json.loads(out)["stamp_index"]
    assert index["enabled"]
    assert index["exists"]
    assert index["commits"] == 3
    assert index["tip"] == repo.git("rev-parse", "HEAD")
    _, out, _ = run_cli(capsys, [*base, "doctor"])
    assert "stamp index" in out
    assert "3 of 3 commits" in out


def test_concurrent_verifies_agree_and_leave_a_sound_index(
        git_repo: Callable[..., Any]) -> None:
    repo = _indexed_repo(git_repo)
    for n in range(4, 12):
        repo.commit(f"AUTH{n}: more", {f"src/m{n}.py": f"{n}\n"})
    argv = [sys.executable, "-m", "dos", "--workspace", str(repo.path), "verify", "AUTH"]
    running = [subprocess.Popen([*argv, f"AUTH{n}"], stdout=subprocess.PIPE, text=True)
               for n in range(1, 12)]
    outputs = [proc.communicate()[0] for proc in running]
    expected = ["NOT_SHIPPED" if n == 2 else "SHIPPED" for n in range(1, 12)]
    assert [out.split()[0] for out in outputs] == expected, outputs
    after, scanned = _answers(repo)
    assert after == scanned
    assert _state(repo).commits == 11
    assert _state(repo).problem == ""
