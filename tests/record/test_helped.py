"""`dos helped` counts what the hooks really prevented, from the verdict journal the real
hooks wrote: once per (session, target, reason), never a holder's own lane, never a retry;
`--explain` names the files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, SESSION_B, HookRun, run_cli

from dos.record.helped import fold
from dos.record.verdict_event import VerdictEvent


def _write(root: Path, session: str, path: str) -> dict[str, object]:
    return {"session_id": session, "cwd": str(root), "hook_event_name": "PreToolUse",
            "tool_name": "Write", "tool_input": {"file_path": path, "content": "x"}}


@pytest.fixture
def caught(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Path:
    """session-A holds lane api. session-B tries it three times, writes outside once,
    and writes its own free lane; session-A writes its own lane."""
    repo = git_repo("ws")
    repo.commit("init", {"dos.toml": DOS_TOML, "src/api/a.py": "a\n", "src/ui/b.py": "b\n"})
    workspace = Path(repo.path).resolve()
    held = run_cli(capsys, monkeypatch, ["--workspace", str(workspace), "lease-lane",
                                         "acquire", "--lane", "api", "--owner", SESSION_A])
    assert held.code == 0, held.stderr
    def pretool(payload: dict[str, object]) -> HookRun:
        return run_cli(capsys, monkeypatch, ["hook", "pretool"],
                       json.dumps(payload).encode())
    for _ in range(3):  # a retry loop: one catch
        assert "deny" in pretool(_write(workspace, SESSION_B, "src/api/a.py")).stdout
    assert "deny" in pretool(_write(workspace, SESSION_B, "/etc/passwd")).stdout
    assert "deny" not in pretool(_write(workspace, SESSION_B, "src/ui/b.py")).stdout
    assert "deny" not in pretool(_write(workspace, SESSION_A, "src/api/a.py")).stdout
    return workspace


def _helped(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *argv: str) -> HookRun:
    return run_cli(capsys, monkeypatch, ["--workspace", str(root), "helped", *argv])


def test_each_distinct_catch_counts_once(caught: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    done = _helped(caught, capsys, monkeypatch, "--json")
    assert done.code == 0, done.stderr
    report = done.json
    assert report["schema"] == {"family": "helped", "version": 1}
    assert report["total"] == 2
    assert report["refusals"] == 4
    assert report["by_reason"] == {"LANE_HELD": 1, "OUTSIDE_WORKSPACE": 1}
    assert report["by_tool"] == {"Write": 2}
    [held] = report["examples"]["LANE_HELD"]
    assert (held["session"], held["target"], held["attempts"]) == (SESSION_B, "src/api/a.py", 3)
    assert report["examples"]["OUTSIDE_WORKSPACE"][0]["target"] == "/etc/passwd"


def test_explain_names_the_files(caught: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _helped(caught, capsys, monkeypatch).stdout
    assert "dos prevented 2 thing(s)" in plain
    assert "src/api/a.py" not in plain
    explained = _helped(caught, capsys, monkeypatch, "--explain").stdout
    assert f"src/api/a.py  session {SESSION_B}  Write  3 attempts" in explained
    assert "/etc/passwd" in explained


def test_session_and_since_filter(caught: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert _helped(caught, capsys, monkeypatch, "--session", SESSION_A, "--json").json[
        "total"] == 0
    assert _helped(caught, capsys, monkeypatch, "--session", SESSION_B, "--json").json[
        "total"] == 2
    assert _helped(caught, capsys, monkeypatch, "--since", "1h", "--json").json["total"] == 2
    future = _helped(caught, capsys, monkeypatch, "--since", "4102444800000", "--json")
    assert future.json["total"] == 0
    bad = _helped(caught, capsys, monkeypatch, "--since", "yesterday-ish")
    assert bad.code == 2


def test_no_store_means_nothing_prevented_and_none_is_made(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    done = _helped(tmp_path, capsys, monkeypatch)
    assert done.code == 0
    assert "nothing prevented yet" in done.stdout
    assert not (tmp_path / ".dos").exists()


def _event(seq: int, **detail: str) -> VerdictEvent:
    return VerdictEvent(seq=seq, ts_ms=seq, syscall="pretool", verdict="DENY", source="hook",
                        subject=detail.get("target", ""), detail=detail)


def test_a_refusal_naming_the_session_as_holder_is_not_a_catch() -> None:
    own = _event(1, session="S", target="src/a.py", reason="LANE_HELD", holder="S")
    other = _event(2, session="S", target="src/a.py", reason="LANE_HELD", holder="T")
    hook_error = _event(3, session="S", target="x", reason="HOOK_ERROR")
    assert fold([own, hook_error]).total == 0
    assert fold([own, other, hook_error]).total == 1
