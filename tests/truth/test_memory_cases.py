"""`dos memory` golden cases (tests/cases/memory/*.toml): real git repositories, real note
files in a fake home's Claude Code store, the real CLI. Every recall must agree with the
sweep, and the sweep must exit as its worst note."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo

from dos.cli import main

CASES = Path(__file__).resolve().parents[1] / "cases" / "memory"


def _cases(*names: str) -> list[Any]:
    return [pytest.param(case, id=f"{name}:{case['name']}") for name in names
            for case in tomllib.loads((CASES / f"{name}.toml").read_text("utf-8"))["case"]]


def host_store(workspace: Path) -> Path:
    """Where Claude Code keeps this workspace's notes, worked out here independently:
    every character but an ASCII letter or digit of the path becomes a dash."""
    slug = re.sub(r"[^A-Za-z0-9]", "-", str(workspace.resolve()))
    return Path.home() / ".claude" / "projects" / slug / "memory"


class Built:
    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.shas: dict[str, str] = {}

    def step(self, step: dict[str, Any]) -> None:
        if "checkout" in step:
            self.repo.git("checkout", "-q", step["checkout"])
            return
        if "branch" in step:
            self.repo.git("checkout", "-q", "-b", step["branch"])
        for rel in step.get("delete", ()):
            (self.repo.path / rel).unlink()
        self.shas[step["id"]] = self.repo.commit(step["subject"], step.get("files", {}),
                                                 allow_empty=not step.get("files"))

    def fill(self, text: str) -> str:
        forms = {"sha": lambda s: s, "short": lambda s: s[:7], "short10": lambda s: s[:10],
                 "short12": lambda s: s[:12], "upper": lambda s: s[:12].upper(),
                 "lower12": lambda s: s[:12]}
        return re.sub(r"\{(\w+):(\w+)\}", lambda m: forms[m.group(1)](self.shas[m.group(2)]),
                      text)


def build(git_repo: Callable[..., GitRepo], case: dict[str, Any]) -> Built:
    built = Built(git_repo("ws"))
    for step in case["commits"]:
        built.step(step)
    for rel, text in case.get("worktree", {}).items():
        built.repo.write(rel, text)
    store = host_store(built.repo.path)
    store.mkdir(parents=True)
    for file, text in case["notes"].items():
        (store / file).write_text(built.fill(text), encoding="utf-8")
    return built


def dos(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _no_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)


@pytest.mark.parametrize("case", _cases("weaknesses", "claims"))
def test_memory_case(case: dict[str, Any], git_repo: Callable[..., GitRepo],
                     capsys: pytest.CaptureFixture[str]) -> None:
    built = build(git_repo, case)
    ws = ["--workspace", str(built.repo.path)]
    recalled = {}
    for expect in case.get("expect", ()):
        code, out, err = dos(capsys, *ws, "memory", "recall", expect["note"], "--json")
        answer = json.loads(out)
        assert (answer["verdict"], code) == (expect["verdict"], expect["exit"]), (answer, err)
        if "culprit" in expect:
            assert answer["culprit"] == built.fill(expect["culprit"]), answer
        assert built.fill(expect.get("reason_contains", "")) in answer["reason"], answer
        recalled[answer["file"]] = (answer["verdict"], code)
    for error in case.get("errors", ()):
        code, out, err = dos(capsys, *ws, "memory", "recall", error["recall"])
        assert (code, out) == (error["exit"], ""), err
        assert error["contains"] in err, err
        assert "fix:" in err, err
    code, out, _ = dos(capsys, *ws, "memory", "verify", "--json")
    swept = {note["file"]: note["verdict"] for note in json.loads(out)}
    assert swept == {file: verdict for file, (verdict, _) in recalled.items()} | {
        file: swept[file] for file in swept if file not in recalled}
    assert code == max((c for _, c in recalled.values()), default=0)
    assert built.repo.git("status", "--porcelain", "--untracked-files=all") == "\n".join(
        f"?? {rel}" for rel in sorted(case.get("worktree", {})))  # nothing written
