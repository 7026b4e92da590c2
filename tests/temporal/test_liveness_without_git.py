"""A missing git or a broken HEAD is never read as STALLED or ADVANCING: liveness, status and
the watchdog answer exit 2 (or skip the run), as verify does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dos.run_id import mint

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000
MIN = 60_000
LATE = T0 + 50 * MIN  # no beat, no commit for 50 minutes: STALLED when git answers


def _silent_run(workspace: Workspace) -> str:
    rid = mint("worker", clock_ms=T0).run_id
    workspace.acquire("main", "w1", rid, at=T0)
    return rid


def _no_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def _break_head(workspace: Workspace) -> None:
    (workspace.path / ".git" / "refs" / "heads" / "main").write_text("1" * 40 + "\n")


def test_with_git_the_silent_run_is_stalled(workspace: Workspace) -> None:
    rid = _silent_run(workspace)
    assert workspace.dos("liveness", "--run-id", rid, at=LATE).code == 4


@pytest.mark.parametrize("verb", ["liveness", "status"])
def test_a_missing_git_is_exit_2(verb: str, workspace: Workspace,
                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rid = _silent_run(workspace)
    _no_git(monkeypatch, tmp_path)
    result = workspace.dos(verb, "--run-id", rid, at=LATE)
    assert result.code == 2, result.out + result.err
    assert "git is not installed" in result.err
    assert "STALLED" not in result.out


@pytest.mark.parametrize("verb", ["liveness", "status"])
def test_a_broken_head_is_exit_2(verb: str, workspace: Workspace) -> None:
    rid = _silent_run(workspace)
    _break_head(workspace)
    result = workspace.dos(verb, "--run-id", rid, at=LATE)
    assert result.code == 2, result.out + result.err
    assert "STALLED" not in result.out
    assert "ADVANCING" not in result.out


def test_an_explicit_start_sha_with_a_broken_head_is_exit_2(workspace: Workspace) -> None:
    rid = _silent_run(workspace)
    _break_head(workspace)
    result = workspace.dos("liveness", "--run-id", rid, "--start-sha", workspace.start_sha,
                           at=T0 + MIN)
    assert result.code == 2


def test_the_watchdog_skips_the_run_and_proposes_no_halt(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rid = _silent_run(workspace)
    _no_git(monkeypatch, tmp_path)
    result = workspace.dos("watch", "--track", rid, "--max-ticks", "1", "--json", at=LATE)
    assert result.code == 0
    report = result.json()
    assert report["skipped"] == [rid]
    assert "git" in report["errors"][rid]
    assert report["proposed_halts"] == []


def test_a_rewritten_history_still_gets_a_verdict(workspace: Workspace) -> None:
    """The recorded start left the history: no commit evidence, but git itself answers."""
    rid = _silent_run(workspace)
    workspace.repo.git("checkout", "-q", "--orphan", "fresh")
    workspace.repo.commit("a new root", {"b.txt": "b\n"})
    workspace.repo.git("branch", "-D", "main")
    assert workspace.dos("liveness", "--run-id", rid, at=LATE).code == 4
