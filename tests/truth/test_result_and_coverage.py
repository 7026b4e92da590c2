"""`dos verify-result` and `dos coverage`: golden cases over real transcript files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import load_cases, run_cli

_TRANSCRIPTS = {
    "healthy": ['{"message": {"role": "assistant", "model": "m", "content": "done"}}'],
    "rate_limited": ['{"apiErrorStatus": 429, "message": {"role": "assistant", '
                     '"model": "<synthetic>", "content": "Rate limited"}}'],
    "empty": ['{"message": {"role": "assistant", "model": "m", "content": ""}}'],
    "garbage": ["not json at all"],
}


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", load_cases("verify_result"))
def test_verify_result_case(case: dict[str, Any], tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "absent.jsonl" if case.get("missing") else _write(
        tmp_path, "t", case["lines"])
    expect = case["expect"]
    code, out, _ = run_cli(capsys, ["verify-result", "--transcript", str(path), "--json"])
    payload = json.loads(out)
    assert code == expect["exit"]
    assert payload["state"] == expect["state"]
    assert payload["dead"] is (expect["exit"] == 3)
    if "class" in expect:
        assert payload["class"] == expect["class"]
        assert payload["envelope"]["reason_class"] == f"RESULT_DEAD_{expect['class']}"
    if "api_status" in expect:
        assert payload["api_status"] == expect["api_status"]
    if "text" in expect:
        code, out, _ = run_cli(capsys, ["verify-result", "--transcript", str(path)])
        assert out.rstrip("\n") == expect["text"]


def test_transcript_path_from_a_hook_event_on_stdin(tmp_path: Path, monkeypatch: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "t", _TRANSCRIPTS["rate_limited"])
    event = json.dumps({"transcript_path": str(path), "hook_event_name": "SubagentStop"})
    monkeypatch.setattr("sys.stdin", io.StringIO(event))
    code, out, _ = run_cli(capsys, ["verify-result"])
    assert code == 3
    assert out.startswith("DEAD SYNTHETIC apiErrorStatus=429 class=RATE_LIMIT")


def test_no_transcript_is_a_usage_error(monkeypatch: Any,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run_cli(capsys, ["verify-result"])
    assert code == 2
    assert out == ""
    assert "pass --transcript PATH" in err


def test_relative_transcript_resolves_against_workspace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "t", _TRANSCRIPTS["healthy"])
    code, _, _ = run_cli(capsys, ["verify-result", "--workspace", str(tmp_path),
                                  "--transcript", "t.jsonl"])
    assert code == 0


def test_unreadable_has_its_own_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, ["exit-codes", "verify-result", "--json"])
    table = json.loads(out)["verify-result"]
    assert code == 0
    assert table["unreadable"] not in (table["healthy"], table["dead"], 2)


@pytest.mark.parametrize("case", load_cases("coverage"))
def test_coverage_case(case: dict[str, Any], tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["coverage", "--declared", str(case["declared"])]
    for index, name in enumerate(case.get("transcripts", [])):
        path = tmp_path / "missing.jsonl" if name == "missing" else _write(
            tmp_path, f"{name}{index}", _TRANSCRIPTS[name])
        argv += ["--transcript", str(path)] * (2 if case.get("twice") else 1)
    if "states" in case:
        argv += ["--states", case["states"]]
    expect = case["expect"]
    code, out, err = run_cli(capsys, [*argv, "--json"])
    assert code == expect["exit"], err
    if code == 2:
        assert out == ""
        assert "dos: error:" in err
        return
    payload = json.loads(out)
    assert payload["state"] == expect["state"]
    for key in ("healthy", "dead", "unreadable", "unaccounted"):
        if key in expect:
            assert payload[key] == expect[key], key
    if "prompt_contains" in expect:
        assert expect["prompt_contains"] in payload["prompt_line"]
    if "text" in expect:
        code, out, _ = run_cli(capsys, argv)
        assert out.rstrip("\n") == expect["text"]
