"""`dos doctor` diagnoses: the store (opened, sound, writable), git (installed, readable, not
shallow), the lint, and whether each wired hook's command runs; exit 1 on any problem."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

_TREES = '[lanes]\nconcurrent = ["src", "docs"]\n[lanes.trees]\nsrc = ["src/**"]\n'


@pytest.fixture
def repo(git_repo: Callable[..., Any]) -> Any:
    made = git_repo("ws")
    made.commit("init", {"dos.toml": _TREES + 'docs = ["docs/**"]\n', "src/a.py": "a\n"})
    return made


def _doctor(capsys: pytest.CaptureFixture[str], root: Path,
            *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(capsys, ["--workspace", str(root), "doctor", "--json", *args])
    return code, json.loads(out) if out.strip() else {}, err


def _checks(report: dict[str, Any]) -> list[str]:
    return [item["check"] for item in report["problems"]]


def _store(capsys: pytest.CaptureFixture[str], root: Path) -> Path:
    code, _, err = run_cli(capsys, ["--workspace", str(root), "lease-lane", "acquire",
                                    "--lane", "src", "--owner", "w1"])
    assert code == 0, err
    return root / ".dos" / "dos.db"


def test_a_healthy_workspace_exits_0_in_every_form(
        repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 0
    assert (report["verdict"], report["problems"]) == ("HEALTHY", [])
    assert report["schema"] == {"family": "doctor", "version": 1}
    assert report["git"]["shallow"] is False
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "doctor"])
    assert code == 0
    assert "HEALTHY" in out
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "doctor", "--output",
                                    "plain"])
    assert code == 0
    assert out.isascii()
    assert "\x1b[" not in out


def test_a_truncated_store_fails_and_store_status_agrees(
        repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    db = _store(capsys, repo.path)
    with db.open("r+b") as handle:
        handle.truncate(db.stat().st_size // 2 + 100)
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert "store" in _checks(report)
    assert report["store"]["reachable"] is False
    status, _, _ = run_cli(capsys, ["--workspace", str(repo.path), "store", "status"])
    acquire, _, _ = run_cli(capsys, ["--workspace", str(repo.path), "lease-lane", "acquire",
                                     "--lane", "docs", "--owner", "w2"])
    assert (status, acquire) == (74, 74)


def test_a_file_that_is_not_a_store_fails(repo: Any,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (repo.path / ".dos").mkdir()
    (repo.path / ".dos" / "dos.db").write_bytes(b"not a database at all\n" * 50)
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert _checks(report) == ["store"]


@pytest.fixture
def read_only_store(repo: Any, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    folder = _store(capsys, repo.path).parent
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_a_read_only_dos_directory_fails(repo: Any, read_only_store: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    [found] = report["problems"]
    assert found["check"] == "store"
    assert "read-only" in found["detail"]
    assert str(read_only_store) in found["detail"]


def test_lint_errors_fail_and_are_shown(git_repo: Callable[..., Any],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = git_repo("bad")
    bad.commit("init", {"dos.toml": _TREES, "a": "a\n"})  # docs has no tree: an error
    code, report, _ = _doctor(capsys, bad.path)
    assert code == 1
    assert _checks(report) == ["lint"]
    assert report["findings"][0]["kind"] == "LANE_WITHOUT_TREE"
    code, out, _ = run_cli(capsys, ["--workspace", str(bad.path), "doctor"])
    assert "[error] LANE_WITHOUT_TREE 'docs'" in out


def test_lint_warnings_fail_only_with_check(git_repo: Callable[..., Any],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    shadowed = git_repo("shadowed")
    shadowed.commit("init", {"dos.toml": _TREES + 'docs = ["src/docs/**"]\n', "a": "a\n"})
    code, report, _ = _doctor(capsys, shadowed.path)
    assert (code, report["findings"][0]["kind"]) == (0, "LANE_REGION_SHADOWED")
    code, report, err = _doctor(capsys, shadowed.path, "--check")
    assert code == 1
    assert _checks(report) == ["lint"]
    assert err.startswith("finding: [warn] LANE_REGION_SHADOWED")


def _wire(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, _, err = run_cli(capsys, ["--workspace", str(root), "init", "--hooks",
                                    "claude-code"])
    assert code == 0, err


def test_a_hook_command_that_does_not_resolve_fails(
        repo: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    # hooks wired to a bare `dos` (by hand, or by a dos run from PATH): resolved on PATH
    monkeypatch.setattr("dos.hooks.install.hook_program", lambda: "dos")
    _wire(capsys, repo.path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (bin_dir / "dos").write_text("#!/bin/sh\n", encoding="utf-8")
    (bin_dir / "dos").chmod(0o755)
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 0, report["problems"]
    commands = report["hooks"]["claude-code"]["commands"]
    assert {item["program"] for item in commands} == {str(bin_dir / "dos")}
    (bin_dir / "dos").unlink()
    monkeypatch.setenv("PATH", str(bin_dir))  # no dos anywhere (git is not needed to tell)
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert "hooks" in _checks(report)
    assert any("'dos' is not on PATH" in item["detail"] for item in report["problems"])


def test_an_absolute_hook_command_is_checked_on_disk(
        repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings = repo.path / ".claude" / "settings.json"
    settings.parent.mkdir()
    hook = {"type": "command", "command": "/nowhere/bin/dos hook stop --dialect claude-code"}
    settings.write_text(json.dumps({"hooks": {"Stop": [{"hooks": [hook]}]}}), encoding="utf-8")
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert any("/nowhere/bin/dos is not an executable file" in item["detail"]
               for item in report["problems"])


def test_a_missing_git_is_a_problem(repo: Any, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert report["git"]["available"] is False
    assert "git" in _checks(report)


def test_a_broken_head_is_a_problem(repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.path / ".git" / "refs" / "heads" / "main").write_text("1" * 40 + "\n")
    code, report, _ = _doctor(capsys, repo.path)
    assert code == 1
    assert report["git"]["broken"] is True
    assert _checks(report) == ["git"]


def test_a_directory_outside_git_is_only_noted(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = _doctor(capsys, tmp_path)
    assert code == 0
    assert report["git"]["is_repo"] is False


def test_usage_errors_are_exit_2(repo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run_cli(capsys, ["--workspace", str(repo.path), "doctor", "--bogus"])
    assert code == 2
    (repo.path / "dos.toml").write_text("[lanes\n", encoding="utf-8")
    code, _, err = run_cli(capsys, ["--workspace", str(repo.path), "doctor"])
    assert code == 2
    assert "dos: error:" in err
