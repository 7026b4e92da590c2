"""The truth verbs keep the output contract: text for people, plain without colour or
glyphs, one JSON line tagged with the verb's schema; and the flags that shape them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.contract import ask_in_every_form, assert_output_contract
from tests._support.truth import run_cli

_HEALTHY = '{"message": {"role": "assistant", "model": "m", "content": "done"}}\n'
_DEAD = ('{"apiErrorStatus": 429, "message": {"role": "assistant", "model": "<synthetic>", '
         '"content": "Rate limited"}}\n')
_PLAN = """# Auth plan

## 1. AUTH AUTH1 — login SHIPPED
## 2. AUTH AUTH2 — reset SHIPPED
## 3. AUTH AUTH3 — tokens
"""


def _repo(git_repo: Callable[..., Any]) -> Any:
    repo = git_repo()
    repo.commit("init", {"README.md": "r\n"})
    repo.commit("AUTH1: login", {"src/login.py": "l\n"})
    repo.commit("fix: the docs only", {"README.md": "changed\n"})
    repo.commit("AUTH3: tokens", {"src/tokens.py": "t\n"})
    repo.write("docs/auth-plan.md", _PLAN)
    return repo


def test_commit_audit_per_commit_forms(git_repo: Callable[..., Any],
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(git_repo)
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(repo.path),
                                                    "commit-audit", "HEAD~2..HEAD"])
    payload = assert_output_contract(forms, "commit-audit")
    assert forms.codes == (1, 1, 1)
    assert [item["verdict"] for item in payload] == ["ABSTAIN", "CLAIM_UNWITNESSED"]
    assert "\x1b[31m" in forms.text  # the unwitnessed line is red on a colour terminal
    assert forms.plain.splitlines()[1].startswith("! UNWITNESSED ")


def test_commit_audit_sweep_forms(git_repo: Callable[..., Any],
                                  capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(git_repo)
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(repo.path),
                                                    "commit-audit", "--sweep", "HEAD"])
    payload = assert_output_contract(forms, "commit-audit")
    assert (payload["commits"], payload["unwitnessed"]) == (4, 1)
    assert "DRIFT RATE (unwitnessed/checkable): 100.0%" in forms.plain


def test_verify_result_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t.jsonl").write_text(_DEAD, encoding="utf-8")
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(tmp_path),
                                                    "verify-result", "--transcript", "t.jsonl"])
    payload = assert_output_contract(forms, "verify-result")
    assert forms.codes == (3, 3, 3)
    assert payload["class"] == "RATE_LIMIT"
    assert forms.text.startswith("DEAD SYNTHETIC apiErrorStatus=429 class=RATE_LIMIT —")
    assert forms.plain.startswith("DEAD SYNTHETIC apiErrorStatus=429 class=RATE_LIMIT -")


def test_coverage_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    forms = ask_in_every_form(capsys, monkeypatch,
                              ["coverage", "--declared", "3", "--states", "HEALTHY,SYNTHETIC"])
    payload = assert_output_contract(forms, "coverage")
    assert forms.codes == (3, 3, 3)
    assert (payload["state"], payload["healthy"], payload["unaccounted"]) == (
        "UNDERFILLED", 1, 1)
    assert forms.plain.startswith("UNDERFILLED 1/3 healthy (1 dead, 1 unaccounted)")


def test_plan_forms(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(git_repo)
    forms = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(repo.path), "plan"])
    payload = assert_output_contract(forms, "plan")
    assert forms.codes == (0, 0, 0)
    assert [p["divergence"] for p in payload["phases"]] == ["✓shipped", "⚠over-claim",
                                                            "✓under-claim"]
    assert "\x1b[31m\x1b[1m⚠over-claim" in forms.text
    plain = forms.plain.splitlines()
    assert plain[0].startswith(f"+- dos plan - {repo.path} - ")
    assert "  AUTH     AUTH2          shipped  !over-claim    -" in plain
    assert "  AUTH     AUTH3          open     +under-claim   -" in plain


def test_coverage_transcripts_resolve_against_the_workspace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "a.jsonl").write_text(_HEALTHY, encoding="utf-8")
    (runs / "b.jsonl").write_text(_DEAD, encoding="utf-8")
    code, out, err = run_cli(capsys, ["--workspace", str(tmp_path), "coverage", "--declared",
                                      "3", "--transcripts-glob", "runs/*.jsonl",
                                      "--transcript", "runs/a.jsonl", "--json"])
    assert code == 3, err
    payload = json.loads(out)
    assert (payload["healthy"], payload["dead"]) == (1, 1)  # a.jsonl is counted once


@pytest.mark.parametrize("quorum", ["nan", "inf", "-0.1", "1.5"])
def test_min_quorum_must_be_a_fraction(quorum: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, ["coverage", "--declared", "2", "--states",
                                      "HEALTHY,HEALTHY", "--min-quorum", quorum])
    assert (code, out) == (2, "")
    assert "--min-quorum must be a fraction from 0 to 1" in err


@pytest.mark.parametrize("interval", ["0", "-1", "nan", "1e9"])
def test_plan_interval_is_bounded(interval: str, git_repo: Callable[..., Any],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(git_repo)
    code, out, err = run_cli(capsys, ["--workspace", str(repo.path), "plan", "--interval",
                                      interval])
    assert (code, out) == (2, "")
    assert "--interval must be a number of seconds" in err


def _read_until(fd: int, needle: bytes, count: int, deadline: float) -> bytes:
    seen = b""
    while seen.count(needle) < count and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _plan_on_a_terminal(repo: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    main, child = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(repo), "plan",
                             *extra], stdin=subprocess.DEVNULL, stdout=child,
                            stderr=subprocess.DEVNULL, env=env)
    os.close(child)
    return proc, main


def test_plan_on_a_terminal_without_a_keyboard_draws_one_frame(
        git_repo: Callable[..., Any]) -> None:
    """The live board is the desk app (tests/tui), which needs keys from a terminal: with
    stdin elsewhere, a terminal on stdout gets one plain frame and exit 0."""
    repo = _repo(git_repo)
    proc, main = _plan_on_a_terminal(repo.path, "--interval", "0.5")
    try:
        assert proc.wait(timeout=30) == 0
        seen = _read_until(main, b"mutates nothing", 1, time.monotonic() + 5)
    finally:
        proc.kill()
        os.close(main)
    assert b"\x1b[2J" not in seen
    assert seen.count(b"dos plan") == 1


def test_plan_once_on_a_terminal_draws_one_frame(git_repo: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    proc, main = _plan_on_a_terminal(repo.path, "--once")
    try:
        assert proc.wait(timeout=30) == 0
        seen = _read_until(main, b"mutates nothing", 1, time.monotonic() + 5)
    finally:
        proc.kill()
        os.close(main)
    assert b"\x1b[2J" not in seen
    assert seen.count(b"dos plan") == 1
