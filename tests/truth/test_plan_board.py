"""`dos plan`: the board over real plan documents and a real repository."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos.truth.plan_source import harvest_text

_DOC = """id: AUTH
# Auth plan

## 1. AUTH AUTH1 — login SHIPPED
## 2. AUTH AUTH2 — password reset SHIPPED
Touches src/reset.py.
## 3. AUTH AUTH3 — tokens (soaking)
## 4. AUTH AUTH4 — sessions
- **AUTH4.1 — sub-phase** SHIPPED
- **AUTH4.2** blocked on review
- **Rendering is downstream**
<!-- SHIPPED -->
## 5. AUTH AUTH5 — nothing claimed
##### 6. AUTH AUTH6 — too deep
### 7. AUTH AUTH7 no separator
### 8. AUTH 2 — a phase without a letter
- **AUTH9 — orphan bullet under a non-row heading**
### 11. AUTH AUTH9-port title words
### 12. AUTH AUTH10-port — real title
## 13. AUTH AUTH2 — duplicate ignored
## 14. AUTH AUTH11 — not shipped yet, Status: shipped
"""


def test_harvest_grammar() -> None:
    rows = {(p.plan, p.phase): p.claimed for p in harvest_text(_DOC, "docs/auth-plan.md")}
    assert rows == {
        ("AUTH", "AUTH1"): "shipped", ("AUTH", "AUTH2"): "shipped",
        ("AUTH", "AUTH3"): "blocked", ("AUTH", "AUTH4"): "open",
        ("AUTH", "AUTH4.1"): "shipped", ("AUTH", "AUTH4.2"): "blocked",
        ("AUTH", "AUTH5"): "open", ("AUTH", "AUTH10-port"): "open",
        ("AUTH", "AUTH11"): "shipped",
    }


def test_harvest_names_files_of_a_section() -> None:
    [row] = [p for p in harvest_text(_DOC, "d.md") if p.phase == "AUTH2"]
    assert row.files == ("src/reset.py",)


def _workspace(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("init", {"README.md": "r\n"})
    repo.commit("AUTH1: login", {"src/login.py": "l\n"})
    repo.commit("AUTH3: tokens", {"src/tokens.py": "t\n"})
    repo.write("docs/auth-plan.md", _DOC)
    return repo


def _snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if ".git" not in p.parts}


def test_board_json_claims_beside_verdicts(git_repo: Callable[..., Any],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--json"])
    frame = json.loads(out)
    cells = {p["phase"]: (p["claimed_status"], p["oracle_shipped"], p["divergence"])
             for p in frame["phases"]}
    assert code == 0
    assert out.count("\n") == 1
    assert cells["AUTH1"] == ("shipped", True, "✓shipped")
    assert cells["AUTH2"] == ("shipped", False, "⚠over-claim")
    assert cells["AUTH3"] == ("blocked", True, "✓under-claim")
    assert cells["AUTH5"] == ("open", False, "·pending")
    assert frame["summary"]["over_claims"] == 3  # AUTH2, AUTH4.1 and AUTH11 claim, git disagrees
    assert frame["plan_source"] == "markdown"
    assert frame["initialized"] is False
    assert frame["activity"][0]["subject"] == "AUTH3: tokens"


def test_board_text_marks_over_claims(git_repo: Callable[..., Any],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--once"])
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith(f"┌─ dos plan · {repo.path} · ")
    assert len(lines[0]) >= 88
    assert "  AUTH     AUTH2          shipped  ⚠over-claim    -" in lines
    assert "  AUTH     AUTH1          shipped  ✓shipped       -" in lines
    assert any(line.startswith("⚠ 4 phase(s) where the plan's claim DISAGREES") for line in lines)
    assert lines[-1] == "read-only · this screen mutates nothing"


def test_board_writes_nothing(git_repo: Callable[..., Any],
                              capsys: pytest.CaptureFixture[str]) -> None:
    """W-PB1: the reference scaffolded a dos.toml while claiming to be read-only."""
    repo = _workspace(git_repo)
    before = _snapshot(repo.path)
    run_cli(capsys, ["--workspace", str(repo.path), "plan", "--once"])
    run_cli(capsys, ["--workspace", str(repo.path), "plan", "--json"])
    assert _snapshot(repo.path) == before
    assert not (repo.path / "dos.toml").exists()


def test_board_reads_history_once_for_all_rows(git_repo: Callable[..., Any], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """W-PB2: the reference ran the whole oracle (two git log passes) per row."""
    repo = _workspace(git_repo)
    trace = tmp_path / "git-trace.log"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--json"])
    assert code == 0
    assert len(json.loads(out)["phases"]) == 9
    runs = [line for line in trace.read_text().splitlines() if "built-in: git" in line]
    history_passes = [line for line in runs if " log " in line and "--grep" in line]
    assert len(history_passes) == 1
    assert len(runs) <= 6  # rev-parse, one history pass, files, recent commits, artifacts


def test_explicit_pairs(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    repo = _workspace(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--json",
                                    "AUTH", "AUTH1", "AUTH", "AUTH9"])
    frame = json.loads(out)
    assert code == 0
    assert frame["plan_source"] == "explicit"
    assert [(p["phase"], p["oracle_shipped"], p["divergence"]) for p in frame["phases"]] == [
        ("AUTH1", True, "✓shipped"), ("AUTH9", False, "—")]


@pytest.mark.parametrize("argv", [["AUTH"], ["--source", "bogus"]])
def test_usage_errors(argv: list[str], git_repo: Callable[..., Any],
                      capsys: pytest.CaptureFixture[str]) -> None:
    """W-PB4: an unknown source was a silent empty board."""
    repo = _workspace(git_repo)
    code, out, err = run_cli(capsys, ["--workspace", str(repo.path), "plan", *argv])
    assert code == 2
    assert out == ""
    assert "dos: error:" in err


def test_no_plans_declared(git_repo: Callable[..., Any],
                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo()
    repo.commit("init", {"a": "a\n"})
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--once"])
    assert code == 0
    assert "  (no plans declared — set [paths].plans_glob in dos.toml, or pass phases)" in out


def test_not_a_repository_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, ["--workspace", str(tmp_path), "plan", "--once"])
    assert code == 2
    assert "not inside a git repository" in err
