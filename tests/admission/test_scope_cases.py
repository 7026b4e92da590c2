"""The scope gate against real git repositories: golden cases in tests/cases/scope/*.toml.

Each case commits ``dos.toml`` plus ``committed`` files, then changes the working tree
(``modified``, ``staged``, ``untracked``, ``ignored``, ``renamed``, ``second_commit``)
and runs ``dos scope-gate`` with ``args``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos.cli import main

CASES = sorted((Path(__file__).resolve().parents[1] / "cases" / "scope").glob("*.toml"))

DEFAULT_TOML = """
[lanes]
concurrent = ["src", "docs"]
autopick = ["src", "docs"]
aliases = { code = "src" }
[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
"""


def _prepare(repo: Any, case: dict[str, Any]) -> None:
    files = {"dos.toml": case.get("dos_toml", DEFAULT_TOML)}
    if case.get("gitignore"):
        files[".gitignore"] = case["gitignore"]
    files.update(dict.fromkeys(case.get("committed", []), "one\n"))
    if case.get("unborn"):
        for path, text in files.items():
            repo.write(path, text)
    else:
        repo.commit("base", files)
    if case.get("second_commit"):
        repo.commit("second", dict.fromkeys(case["second_commit"], "two\n"))
    for old, new in case.get("renamed", {}).items():
        repo.write(new).parent.mkdir(parents=True, exist_ok=True)
        repo.git("mv", "-f", old, new)
    for path in case.get("modified", []):
        repo.write(path, "changed\n")
    for path in case.get("staged", []):
        repo.write(path, "staged\n")
        repo.git("add", path)
    for path in (*case.get("untracked", []), *case.get("ignored", [])):
        repo.write(path, "new\n")


def test_there_are_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_scope_case(path: Path, git_repo: Callable[..., Any],
                    capsys: pytest.CaptureFixture[str]) -> None:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    repo = git_repo()
    _prepare(repo, case)
    expect = case["expect"]
    code = main(["--workspace", str(repo.path), "scope-gate", *case["args"], "--json"])
    captured = capsys.readouterr()
    assert code == expect["exit"], captured.out + captured.err
    if code == 2:
        assert expect.get("stderr", "") in captured.err
        assert captured.out == ""
        return
    result = json.loads(captured.out)
    assert result["verdict"] == expect["verdict"]
    assert result["allowed"] is (expect["verdict"] == "IN_SCOPE")
    if "out_of_scope" in expect:
        assert result["scope"]["out_of_scope_files"] == expect["out_of_scope"]
    if "touched" in expect:
        assert result["scope"]["evidence"]["touched_files"] == expect["touched"]
    for fragment in expect.get("reason_contains", []):
        assert fragment in result["reason"]
