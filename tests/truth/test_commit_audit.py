"""`dos commit-audit`: golden per-commit verdicts, ranges, sweeps and errors, on real git."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.truth import CaseRepo, build_case, load_cases, run_cli

from dos.errors import RESERVED_EXITS
from dos.truth.commit_audit import classify_claim


@pytest.mark.parametrize("case", load_cases("commit_audit"))
def test_commit_audit_case(case: dict[str, Any], git_repo: Callable[..., Any],
                           capsys: pytest.CaptureFixture[str]) -> None:
    built = build_case(git_repo, case)
    for expect in case["audit"]:
        sha = built.sha(expect["ref"])
        code, out, _ = run_cli(capsys, ["--workspace", str(built.path), "commit-audit", sha,
                                        "--json"])
        assert code == expect["exit"], expect
        [verdict] = json.loads(out)
        assert verdict["sha"] == sha[:12]
        assert verdict["verdict"] == expect["verdict"], (expect, verdict)
        assert verdict["claim_kind"] == expect["kind"], (expect, verdict)
        assert expect.get("reason_contains", "") in verdict["reason"]


def _repo(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("init", {"README.md": "r\n"})
    repo.commit("feat: add the parser", {"src/parser.py": "p\n"})
    repo.commit("fix: the docs only", {"README.md": "changed\n"})
    repo.commit("chore: bump", {"VERSION": "1\n"})
    return repo


def test_text_lines_for_a_range_newest_first(git_repo: Callable[..., Any],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, err = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit",
                                      "HEAD~3..HEAD"])
    lines = out.splitlines()
    assert code == 1
    assert [line.split()[0] for line in lines] == ["·", "⚑", "✓"]
    assert lines[1].startswith("⚑ UNWITNESSED ")
    assert "[subject-only]" in lines[1]
    assert lines[2].startswith("✓ witnessed   ")
    assert "commit-audit: 1/3 commit(s) make a claim their diff does not witness." in err


def test_warn_only_exits_zero_and_stays_quiet(git_repo: Callable[..., Any],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, _, err = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit",
                                    "HEAD~3..HEAD", "--warn-only"])
    assert code == 0
    assert err == ""


def test_sweep_json_counts_the_whole_range(git_repo: Callable[..., Any],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit",
                                    "--sweep", "HEAD", "--json"])
    payload = json.loads(out)
    assert code == 1
    assert payload["commits"] == 4
    assert payload["checkable"] == 2
    assert payload["abstained"] == 2
    assert payload["unwitnessed"] == 1
    assert payload["drift_rate"] == pytest.approx(0.5)
    assert out.count("\n") == 1


def test_sweep_text(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit",
                                    "HEAD~3..HEAD", "--sweep"])
    assert code == 1
    assert out.startswith("commit-audit sweep over 3 commit(s):")
    assert "  DRIFT RATE (unwitnessed/checkable): 50.0%" in out
    assert "    code_effect    1 /    1 /    0" in out


def test_no_cap_on_long_ranges(git_repo: Callable[..., Any],
                               capsys: pytest.CaptureFixture[str]) -> None:
    """W-CA1: the reference silently stopped at 500 commits."""
    built = CaseRepo(git_repo())
    built.filler(650, {}, {})
    code, out, _ = run_cli(capsys, ["--workspace", str(built.path), "commit-audit",
                                    "--sweep", "HEAD", "--json"])
    assert code == 0
    assert json.loads(out)["commits"] == 650


def test_empty_range_is_clean(git_repo: Callable[..., Any],
                              capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit", "HEAD..HEAD"])
    assert code == 0
    assert out.strip() == "commit-audit: no commits in range (nothing to check)"


@pytest.mark.parametrize("ref", ["nosuch..HEAD", "no-such-ref", "--bogus"])
def test_bad_ref_or_range_is_exit_2(ref: str, git_repo: Callable[..., Any],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """W-CA1: a bad range read as 'clean' in the reference."""
    repo = _repo(git_repo)
    code, out, err = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit", "--", ref]
                             if ref.startswith("--") else
                             ["--workspace", str(repo.path), "commit-audit", ref])
    assert code == 2
    assert out == ""
    assert "dos: error:" in err


def test_not_a_repository_is_exit_2(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, ["--workspace", str(tmp_path), "commit-audit"])
    assert code == 2
    assert "cannot read" in err


def test_listed_in_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, ["exit-codes", "commit-audit", "--json"])
    assert code == 0
    assert json.loads(out) == {"commit-audit": {"clean": 0, "contract_error": 2,
                                                "unwitnessed": 1},
                               "reserved": RESERVED_EXITS,
                               "schema": {"family": "exit-codes", "version": 1}}


@pytest.mark.parametrize(("subject", "kind"), [
    ("", "none"), ("fix: version check", "code_effect"), ("Revert fix for null", "none"),
    ("add: new style for buttons", "code_effect"), ("chore: add deps", "none"),
    ("fix: address review feedback", "none"), ("README.md: fix typo", "doc"),
    ("bump version to 1.2", "none"), ("fix the failing test", "test"),
])
def test_claim_kinds(subject: str, kind: str) -> None:
    assert classify_claim(subject) == kind


@pytest.mark.parametrize("argv", [["--sweep"], ["HEAD", "--sweep"], ["--sweep", "HEAD"]])
def test_sweep_without_a_range_covers_the_whole_history_as_its_help_says(
        argv: list[str], git_repo: Callable[..., Any],
        capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, _ = run_cli(capsys, ["--workspace", str(repo.path), "commit-audit", *argv,
                                    "--json"])
    assert (code, json.loads(out)["commits"]) == (1, 4)


def test_the_sweep_help_says_what_a_bare_sweep_covers(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, ["commit-audit", "--help"])
    text = " ".join(out.split())
    assert code == 0
    assert "no RANGE at all, sweeps the whole history of that ref" in text
    assert "dos commit-audit --sweep the drift rate over the whole history of HEAD" in text
