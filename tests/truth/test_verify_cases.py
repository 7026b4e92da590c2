"""Golden cases for `dos verify`: each builds a real repository and runs the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import CaseRepo, build_case, hostile_gitconfig, load_cases, run_cli

CASE_FILES = ("verify_grammar", "verify_history", "verify_reverts", "verify_registry",
              "verify_evidence", "verify_config", "verify_errors")


def _checks(case: dict[str, Any]) -> list[dict[str, Any]]:
    if "checks" in case:
        return list(case["checks"])
    return [{"q": case["query"], **case["expect"]}]


def _workspace(case: dict[str, Any], built: CaseRepo, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch, git_repo: Callable[..., Any]) -> Path:
    setup = case.get("setup", "")
    if setup == "non-git":
        plain = tmp_path / "plain"
        plain.mkdir()
        return plain
    if setup == "empty-repo":
        return Path(git_repo("empty").path)
    if setup == "missing-workspace":
        return tmp_path / "does-not-exist"
    if setup == "no-git":
        empty_bin = tmp_path / "empty-bin"
        empty_bin.mkdir()
        monkeypatch.setenv("PATH", str(empty_bin))
    return built.path


def _assert_payload(check: dict[str, Any], payload: dict[str, Any], built: CaseRepo) -> None:
    assert payload["shipped"] is (check["verdict"] == "SHIPPED")
    for key in ("source", "grade", "rung"):
        if key in check:
            assert payload.get(key, "") == check[key], key
    if "sha" in check:
        expected = built.sha(check["sha"])[:12] if check["sha"] else ""
        assert payload.get("sha", "") == expected
    if "summary_contains" in check:
        assert built.expand(check["summary_contains"]) in payload.get("summary", "")


@pytest.mark.parametrize("case", load_cases(*CASE_FILES))
def test_verify_case(case: dict[str, Any], git_repo: Callable[..., Any],
                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                     tmp_path: Path) -> None:
    built = build_case(git_repo, case)
    workspace = _workspace(case, built, tmp_path, monkeypatch, git_repo)
    if "gitconfig" in case:
        hostile_gitconfig(tmp_path, case["gitconfig"], monkeypatch)
    for check in _checks(case):
        plan, phase = check["q"]
        argv = ["--workspace", str(workspace), "verify", plan, phase,
                *[built.expand(a) for a in check.get("args", case.get("args", []))]]
        code, out, err = run_cli(capsys, [*argv, "--json"])
        expected_exit = check.get("exit", 0 if check.get("verdict") == "SHIPPED" else 1)
        assert code == expected_exit, (check, out, err)
        if code in (0, 1):
            _assert_payload(check, json.loads(out), built)
        else:
            assert out == ""
            assert "Traceback" not in err
        if "stderr_contains" in check:
            assert check["stderr_contains"] in err
        if "text" in check:
            code, out, _ = run_cli(capsys, argv)
            assert out.rstrip("\n") == built.expand(check["text"])
