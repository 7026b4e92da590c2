"""Golden decision tables for the picker verbs (``tests/cases/picker/*.toml``): each case
builds a real repository (and, where it says so, a real store), runs ``dos VERB`` through
the CLI from an unrelated directory, and checks the exit code, the ``--json`` answer
(a subset), stderr and the text form."""

from __future__ import annotations

import json
import os
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import CaseRepo, build_case, expanded, json_subset, run_cli

from dos.store import writing
from dos.store.journal import JournalEntry
from dos.workspace import load_config

CASES = Path(__file__).resolve().parents[1] / "cases" / "picker"
VERBS = ("enumerate", "pickable", "reconcile", "gate", "scout", "health")


def _load() -> list[Any]:
    params = []
    for verb in VERBS:
        data = tomllib.loads((CASES / f"{verb}.toml").read_text(encoding="utf-8"))
        params += [pytest.param(verb, case, id=f"{verb}:{case['name']}")
                   for case in data["case"]]
    return params


def _seed_store(workspace: Path, driver: str | None, records: list[dict[str, Any]]) -> None:
    """Journal records a host or another verb would have written (ATTEMPT, HALT)."""
    config = load_config(str(workspace), driver)
    with writing(config) as tx:
        now = tx.now_ms()
        for record in records:
            payload = dict(record.get("payload", {}))
            if "ago_ms" in record:
                payload["attempted_at_ms"] = now - int(record["ago_ms"])
            tx.append(JournalEntry(record["op"], lane=record.get("lane", ""),
                                   holder=record.get("holder", ""), payload=payload))


def _age(workspace: Path, aged: dict[str, int]) -> None:
    for rel, seconds in aged.items():
        then = time.time() - seconds
        os.utime(workspace / rel, (then, then))


def _globals(case: dict[str, Any], workspace: Path) -> list[str]:
    found = ["--workspace", str(workspace)]
    if case.get("driver"):
        found += ["--driver", case["driver"]]
    return found


@pytest.mark.parametrize(("verb", "case"), _load())
def test_picker_case(verb: str, case: dict[str, Any], *, git_repo: Callable[..., Any],
                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                     tmp_path: Path) -> None:
    built: CaseRepo = build_case(git_repo, case)
    workspace = built.path
    elsewhere = tmp_path / "elsewhere"  # the verbs read the workspace given, not the cwd
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    base = _globals(case, workspace)
    for argv in case.get("setup", []):
        code, out, err = run_cli(capsys, [*base, *argv])
        assert code in (0, 1), (argv, out, err)
    if case.get("journal"):
        _seed_store(workspace, case.get("driver"), case["journal"])
    _age(workspace, case.get("aged", {}))
    args = [built.expand(arg) for arg in case.get("args", [])]
    code, out, err = run_cli(capsys, [*base, verb, *args, "--json"])
    assert code == case["exit"], (out, err)
    assert "Traceback" not in err
    if code == 2:
        assert out == ""
        assert err.startswith("dos: error: "), err
        assert "fix: " in err, err
    else:
        payload = json.loads(out)
        assert payload["schema"]["family"] == verb
        json_subset(expanded(case.get("json", {}), built), payload)
    if "stderr_contains" in case:
        assert case["stderr_contains"] in err
    if "text" in case or "text_contains" in case:
        code, out, _ = run_cli(capsys, [*base, "--output", "plain", verb, *args])
        assert code == case["exit"]
        if "text" in case:
            assert out.strip("\n") == built.expand(case["text"]).strip("\n")
        for piece in case.get("text_contains", []):
            assert piece in out, out
        for piece in case.get("text_lacks", []):
            assert piece not in out, out
