"""Golden cases: each host's payload, in its real shape, gives exactly this stdout,
stderr and exit code (tests/cases/hooks/<host>/*.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import HookRun

CASES = Path(__file__).resolve().parents[1] / "cases" / "hooks"


def _cases() -> list[Any]:
    return [pytest.param(path, id=f"{path.parent.name}/{path.stem}")
            for path in sorted(CASES.glob("*/*.json"))]


def _fill(value: Any, root: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{root}", str(root))
    if isinstance(value, list):
        return [_fill(item, root) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, root) for key, item in value.items()}
    return value


@pytest.mark.parametrize("path", _cases())
def test_golden_case(path: Path, workspace: Path, hook: Callable[..., HookRun],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    case = _fill(json.loads(path.read_text(encoding="utf-8")), workspace)
    for rel, text in case.get("files", {}).items():
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text, encoding="utf-8")
    for name, value in case.get("env", {}).items():
        monkeypatch.setenv(name, value)
    for _ in range(case.get("repeat", 1)):
        done = hook(case["verb"], path.parent.name, case["payload"], *case.get("args", []))
    expect = case["expect"]
    assert (done.stdout, done.stderr, done.code) == (
        expect["stdout"], expect["stderr"], expect["exit"])


def test_every_host_has_every_kind_of_case() -> None:
    for host in ("claude-code", "codex", "cursor", "gemini"):
        names = {path.stem for path in (CASES / host).glob("*.json")}
        for kind in ("allow", "deny", "warn", "stop_block"):
            assert any(kind in name for name in names), f"{host} lacks a {kind} case"
