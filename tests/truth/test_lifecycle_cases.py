"""Golden cases for `dos plan --lifecycle` (``tests/cases/truth/lifecycle.toml``): each
builds a real repository with real plan documents, sets the tick's clock, runs the verb
through the CLI from an unrelated directory and checks the exit code, the ``--json``
answer (a subset), stderr and the text form."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import build_case, expanded, json_subset, load_cases, run_cli


def _clock_ms(iso: str) -> str:
    moment = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return str(int(moment.timestamp() * 1000))


@pytest.mark.parametrize("case", load_cases("lifecycle"))
def test_lifecycle_case(case: dict[str, Any], *, git_repo: Callable[..., Any],
                        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                        tmp_path: Path) -> None:
    built = build_case(git_repo, case)
    monkeypatch.chdir(tmp_path)  # the verb reads the workspace given, not the cwd
    if "now" in case:
        monkeypatch.setenv("DOS_TEST_CLOCK_MS", _clock_ms(case["now"]))
    argv = ["--workspace", str(built.path), "plan", "--lifecycle", *case.get("args", [])]
    code, out, err = run_cli(capsys, [*argv, "--json"])
    assert code == case["exit"], (out, err)
    assert "Traceback" not in err
    if code == 2:
        assert out == ""
        assert err.startswith("dos: error: "), err
        assert "fix: " in err, err
        assert case["stderr_contains"] in err, err
        return
    payload = json.loads(out)
    assert payload["schema"] == {"family": "plan", "version": 1}
    json_subset(expanded(case.get("json", {}), built), payload)
    if "text" in case or "text_contains" in case:
        code, out, _ = run_cli(capsys, ["--output", "plain", *argv])
        assert code == case["exit"]
        if "text" in case:
            assert out.strip("\n") == case["text"].strip("\n")
        for piece in case.get("text_contains", []):
            assert piece in out, out
