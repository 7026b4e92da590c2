"""Witnesses bound to the claim, run for real: an acceptance command (argument list, no
shell unless asked, time limit, output digested, commit recorded), two snapshots
(digested), and the truth oracle (verdict, grade, commit)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.receipts import SECRET, check, dos, ed25519_pair, mint, secret_file

from dos.truth.receipts.acceptance import run_command


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo("ws")
    made.commit("AUTH1: add login", {"src/auth.py": "def login(): ...\n", "marker": "m\n"})
    return made


@pytest.fixture
def key(tmp_path: Path) -> Path:
    keys = tmp_path / "keys"  # outside the repository, so its tree stays clean
    keys.mkdir()
    return ed25519_pair(keys, "ci")[0]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_accept_cmd_is_an_argument_list_bound_to_its_commit(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    receipt = mint(capsys, repo.path, key, "--accept-cmd",
                   "printf '%s|' 'a b' '$HOME' \"; touch pwned\"")
    witness = receipt["witness"]
    assert witness["argv"] == ["printf", "%s|", "a b", "$HOME", "; touch pwned"]
    assert witness["shell"] is False
    assert witness["output_sha256"] == _sha(b"a b|$HOME|; touch pwned|")  # nothing expanded
    assert witness["output_bytes"] == len(b"a b|$HOME|; touch pwned|")
    assert not (repo.path / "pwned").exists()
    assert witness["commit"] == repo.git("rev-parse", "HEAD")
    assert (witness["worktree_clean"], witness["head_moved"], witness["exit_code"]) == (
        True, False, 0)
    assert receipt["verdict"] == "CONFIRMED"
    assert receipt["witness_surface"] == "printf '%s|' 'a b' '$HOME' '; touch pwned'"


def test_the_longest_command_quoted_in_full_still_signs(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    quotes = "'" * 1024
    command = " ".join(["printf", *[f'"{quotes}"'] * 127])
    receipt = mint(capsys, repo.path, key, "--accept-cmd", command)
    assert receipt["witness"]["argv"][1:] == [quotes] * 127
    assert len(receipt["witness_surface"]) > 127 * 5 * 1024
    assert check(capsys, repo.path.parent, receipt, key.with_suffix(".pub")).code == 0


def test_shell_runs_only_when_asked_and_says_so(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WITNESS_WORD", "expanded")
    receipt = mint(capsys, repo.path, key, "--accept-cmd", "echo $WITNESS_WORD", "--shell")
    witness = receipt["witness"]
    assert (witness["argv"], witness["shell"]) == (["/bin/sh", "-c", "echo $WITNESS_WORD"],
                                                   True)
    assert witness["output_sha256"] == _sha(b"expanded\n")
    assert receipt["witness_surface"] == "/bin/sh -c 'echo $WITNESS_WORD'"


def test_the_command_runs_in_the_workspace_and_a_failure_refutes(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    found = mint(capsys, repo.path, key, "--accept-cmd", "test -f marker")
    missing = mint(capsys, repo.path, key, "--accept-cmd", "test -f nowhere")
    assert (found["verdict"], missing["verdict"]) == ("CONFIRMED", "REFUTED")
    assert (missing["witness"]["exit_code"], missing["believe"], missing["refuted"]) == (
        1, False, True)
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--claim", "c",
              "--accept-cmd", "sh -c 'exit 7'", "--key-file", str(key), "--json")
    assert ran.code == 1
    assert ran.json["receipt"]["witness"]["exit_code"] == 7


def test_the_signing_key_is_not_handed_to_the_witness(
        repo: GitRepo, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_ATTEST_KEY", SECRET)
    argv = ["--workspace", str(repo.path), "attest", "--claim", "c", "--accept-cmd"]
    assert dos(capsys, *argv, "printenv HOME").code == 0  # the environment is passed on
    hidden = dos(capsys, *argv, "printenv DOS_ATTEST_KEY", "--json")
    assert hidden.code == 1  # printenv found no such variable
    assert hidden.json["receipt"]["witness"]["output_bytes"] == 0


def test_a_command_past_its_time_limit_is_unwitnessed_and_stopped(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--claim", "c", "--accept-cmd",
              "sleep 30 & echo started; wait", "--shell", "--timeout", "1",
              "--key-file", str(key), "--json")
    assert time.monotonic() - started < 10
    assert ran.code == 3
    witness = ran.json["receipt"]["witness"]
    assert (witness["timed_out"], witness["exit_code"]) == (True, None)
    assert ran.json["receipt"]["accountability_tier"] == ""


def test_output_past_the_bound_is_cut_and_the_command_stopped(tmp_path: Path) -> None:
    started = time.monotonic()
    ran = run_command(["yes"], cwd=tmp_path, timeout_s=60, max_output=100_000)
    assert time.monotonic() - started < 10
    assert (ran.output_truncated, ran.exit_code, ran.output_bytes) == (True, None, 100_000)
    assert ran.output_sha256 == _sha(b"y\n" * 50_000)


def test_a_command_that_moves_head_or_runs_on_a_dirty_tree_is_recorded(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    moved = mint(capsys, repo.path, key, "--accept-cmd",
                 "git -c user.name=a -c user.email=a@b.c commit -q --allow-empty -m moved")
    assert (moved["verdict"], moved["witness"]["head_moved"]) == ("UNWITNESSED", True)
    repo.write("src/auth.py", "changed\n")
    dirty = mint(capsys, repo.path, key, "--accept-cmd", "true")
    assert (dirty["verdict"], dirty["witness"]["worktree_clean"]) == ("CONFIRMED", False)


def test_outside_a_repository_there_is_no_commit(
        tmp_path: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    receipt = mint(capsys, plain, key, "--accept-cmd", "true")
    assert (receipt["witness"]["commit"], receipt["witness"]["worktree_clean"]) == ("", None)
    assert check(capsys, tmp_path, receipt, key.with_suffix(".pub")).code == 0


def _snapshot(repo: GitRepo, name: str, state: Any) -> str:
    repo.write(name, json.dumps(state))
    return name


@pytest.mark.parametrize("case", [
    ({}, {"deploy": "v2"}, "added", "CONFIRMED"),
    ({"deploy": "v1"}, {"deploy": "v2"}, "changed", "CONFIRMED"),
    ({"deploy": "v2"}, {"deploy": "v2"}, "unchanged", "REFUTED"),
    ({"deploy": "v1"}, {"other": 1}, "absent", "REFUTED"),
    ({}, ["not", "an", "object"], "unreadable", "UNWITNESSED"),
])
def test_snapshots_are_digested_and_compared(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str],
        case: tuple[Any, Any, str, str]) -> None:
    before, after, finding, verdict = case
    b, a = _snapshot(repo, "s0.json", before), _snapshot(repo, "s1.json", after)
    receipt = mint(capsys, repo.path, key, "--before", b, "--after", a, claim="deploy")
    witness = receipt["witness"]
    assert (witness["finding"], receipt["verdict"]) == (finding, verdict)
    assert witness["before"] == {"path": b, "sha256": _sha((repo.path / b).read_bytes())}
    assert witness["after"]["sha256"] == _sha((repo.path / a).read_bytes())
    assert receipt["witness_surface"] == "s0.json\u2192s1.json"


def test_a_missing_or_fifo_snapshot_is_unwitnessed_and_third_party_is_recorded(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(repo.path / "pipe.json")
    _snapshot(repo, "s1.json", {"deploy": 1})
    for before in ("missing.json", "pipe.json"):
        receipt = mint(capsys, repo.path, key, "--before", before, "--after", "s1.json",
                       claim="deploy")
        assert receipt["verdict"] == "UNWITNESSED"
        assert receipt["witness"]["before"]["sha256"] == ""
    _snapshot(repo, "s0.json", {})
    third = mint(capsys, repo.path, key, "--before", "s0.json", "--after", "s1.json",
                 "--third-party", claim="deploy")
    assert (third["accountability_tier"], third["witness"]["third_party"]) == (
        "THIRD_PARTY", True)


def test_the_oracle_witness_signs_the_verdict_grade_and_commit(
        repo: GitRepo, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = repo.git("rev-parse", "HEAD")
    shipped = mint(capsys, repo.path, key, "--verify", "AUTH", "AUTH1", claim="AUTH1 done")
    assert shipped["verdict"] == "CONFIRMED"
    assert shipped["witness"]["sha"] == head
    assert shipped["witness"]["commit"] == head
    assert shipped["witness"]["grade"] == "subject"
    assert shipped["accountability_tier"] == "AGENT_AUTHORED"  # only a subject says so
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--verify", "AUTH", "AUTH2",
              "--key-file", str(key), "--json")
    assert ran.code == 1
    receipt = ran.json["receipt"]
    assert (receipt["claim"], receipt["verdict"]) == ("AUTH AUTH2", "REFUTED")
    assert (receipt["witness"]["shipped"], receipt["witness"]["sha"]) == (False, "")


@pytest.mark.parametrize("argv", [
    ["--claim", "c"],
    ["--claim", "c", "--accept-cmd", "true", "--verify", "A", "A1"],
    ["--claim", "c", "--before", "s0.json"],
    ["--claim", "c", "--verify", "A", "A1", "--shell"],
    ["--claim", "", "--accept-cmd", "true"],
    ["--accept-cmd", "true"],
    ["--claim", "c", "--accept-cmd", "'unbalanced"],
    ["--claim", "c", "--accept-cmd", "   "],
    ["--claim", "c", "--accept-cmd", "no-such-program-anywhere"],
    ["--claim", "c", "--accept-cmd", "true", "--timeout", "0"],
    ["--claim", "c", "--accept-cmd", "true", "--timestamp", "yesterday"],
    ["--claim", "c", "--accept-cmd", "true", "--timestamp", "2026-01-01T00:00:00"],
    ["--claim", "c", "--accept-cmd", "true", "--out", "../outside.json"],
    ["--claim", "c", "--accept-cmd", "true", "keygen", "--out", "k"],
])
def test_a_wrong_invocation_is_a_usage_error(
        repo: GitRepo, key: Path, argv: list[str], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    ran = dos(capsys, "--workspace", str(repo.path), "attest", *argv, "--key-file", str(key))
    assert ran.code == 2, ran.out
    assert ran.err.startswith("dos: error:")
    assert "fix:" in ran.err
    assert not (tmp_path / "outside.json").exists()


def test_a_timestamp_is_signed_in_utc(
        repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    key = secret_file(tmp_path, "hmac.secret")
    receipt = mint(capsys, repo.path, key, "--accept-cmd", "true",
                   extra=("--timestamp", "2026-03-01T01:30:00+02:00"))
    assert receipt["timestamp"] == "2026-02-28T23:30:00Z"
    assert receipt["algorithm"] == "HMAC-SHA256"
    assert check(capsys, tmp_path, receipt, key).code == 0
