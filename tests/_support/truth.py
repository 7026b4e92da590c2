"""Helpers for the truth tests: golden case files that build real repositories."""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos.cli import main

CASES = Path(__file__).resolve().parents[1] / "cases" / "truth"


def load_cases(*names: str) -> list[Any]:
    """One pytest param per ``[[case]]`` of each ``tests/cases/truth/<name>.toml``."""
    params = []
    for name in names:
        data = tomllib.loads((CASES / f"{name}.toml").read_text(encoding="utf-8"))
        params += [pytest.param(case, id=f"{name}:{case['name']}") for case in data["case"]]
    return params


class CaseRepo:
    """Builds the repository a case describes, with real git, and remembers labels."""

    def __init__(self, repo: Any) -> None:
        self.repo = repo
        self.path: Path = repo.path
        self.labels: dict[str, str] = {}
        self._tick = 0

    def _dates(self) -> dict[str, str]:
        self._tick += 1
        stamp = f"2026-01-01T{self._tick // 3600:02d}:{self._tick // 60 % 60:02d}:" \
                f"{self._tick % 60:02d}+00:00"
        return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}

    def filler(self, count: int, subjects: dict[str, str], bodies: dict[str, str]) -> None:
        """``count`` quick commits (one file each, oldest first) via git fast-import;
        ``subjects`` / ``bodies`` override the message of the commit at that index."""
        chunks = []
        for index in range(count):
            subject = subjects.get(str(index), f"filler change {index}")
            body = bodies.get(str(index), "")
            message = (f"{subject}\n\n{body}\n" if body else f"{subject}\n").encode()
            data = f"{index}\n".encode()
            chunks += [b"commit refs/heads/main\n", f"mark :{index + 1}\n".encode(),
                       f"committer F <f@example.invalid> {1_600_000_000 + index} +0000\n"
                       .encode(), f"data {len(message)}\n".encode(), message, b"\n"]
            if index:
                chunks.append(f"from :{index}\n".encode())
            chunks += [f"M 100644 inline filler/f{index % 50}.txt\ndata {len(data)}\n".encode(),
                       data, b"\n"]
        subprocess.run(["git", "fast-import", "--quiet"], cwd=self.path, input=b"".join(chunks),
                       check=True)
        self.repo.git("checkout", "-q", "-f", "main")

    def sha(self, label: str) -> str:
        return self.labels[label]

    def expand(self, text: str) -> str:
        for label, sha in self.labels.items():
            text = text.replace(f"{{sha:{label}}}", sha).replace(f"{{short:{label}}}", sha[:12])
        return text

    def apply(self, step: dict[str, Any]) -> None:
        """One step: a commit, a branch switch, a merge, a revert or a cherry-pick."""
        git = self.repo.git
        if "branch" in step:
            exists = git("branch", "--list", step["branch"])
            git("checkout", "-q", *([] if exists else ["-b"]), step["branch"])
        if "checkout" in step:
            git("checkout", "-q", step["checkout"])
            return
        if "tag" in step:
            git("tag", step["tag"], self.sha(step.get("at", "")) if step.get("at") else "HEAD")
            return
        if "note" in step:
            git("notes", "add", "-m", step["text"], self.sha(step["note"]), env=self._dates())
            return
        if "merge" in step:
            git("merge", "--no-ff", "-q", "-m", step.get("subject", f"Merge {step['merge']}"),
                step["merge"], env=self._dates())
        elif "revert" in step:
            git("revert", "--no-edit", self.sha(step["revert"]), env=self._dates())
        elif "cherry_pick" in step:
            git("cherry-pick", self.sha(step["cherry_pick"]), env=self._dates())
        elif "subject" in step:
            self._commit(step)
        else:
            return
        if "id" in step:
            self.labels[step["id"]] = git("rev-parse", "HEAD")

    def _commit(self, step: dict[str, Any]) -> None:
        files = step.get("files")
        if files is None and not step.get("empty"):
            files = {f"work/change{self._tick}.txt": f"{step['subject']}\n"}
        for rel, text in (files or {}).items():
            self.repo.write(rel, self.expand(text))
        for rel in step.get("delete", []):
            (self.path / rel).unlink()
        self.repo.git("add", "-A")
        args = ["commit", "-q", "-m", self.expand(step["subject"])]
        if step.get("body"):
            args += ["-m", self.expand(step["body"])]
        if step.get("empty"):
            args.append("--allow-empty")
        self.repo.git(*args, env=self._dates())


def build_case(git_repo: Callable[..., Any], case: dict[str, Any]) -> CaseRepo:
    """The repository and workspace files ``case`` describes."""
    built = CaseRepo(git_repo())
    if case.get("filler"):
        built.filler(int(case["filler"]), case.get("filler_subjects", {}),
                     case.get("filler_bodies", {}))
    for step in case.get("commits", []):
        built.apply(step)
    for key, value in case.get("repo_config", {}).items():
        built.repo.git("config", key, str(value))
    files = dict(case.get("files", {}))
    if "config" in case:
        files["dos.toml"] = case["config"]
    if "registry" in case:
        files[case.get("registry_path", "dos.state.yaml")] = case["registry"]
    for rel, text in files.items():
        built.repo.write(rel, built.expand(text))
    return built


def expanded(value: Any, built: CaseRepo) -> Any:
    """``value`` with each ``{sha:LABEL}`` / ``{short:LABEL}`` in its strings filled in."""
    if isinstance(value, str):
        return built.expand(value)
    if isinstance(value, list):
        return [expanded(item, built) for item in value]
    if isinstance(value, dict):
        return {key: expanded(item, built) for key, item in value.items()}
    return value


def json_subset(expected: Any, actual: Any, where: str = "$") -> None:
    """Every key of ``expected`` is in ``actual`` with an equal value (objects, and lists
    of objects item by item, recursively)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing from {sorted(actual)}"
            json_subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and any(isinstance(item, dict) for item in expected):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{where}: expected {len(expected)} items"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            json_subset(want, got, f"{where}[{index}]")
    else:
        wanted = None if expected == "<null>" else expected  # TOML has no null
        assert actual == wanted, f"{where}: expected {wanted!r}, got {actual!r}"


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """``dos <argv>`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def hostile_gitconfig(home: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make git read ``text`` as the user's global configuration from now on."""
    path = home / ".gitconfig"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))
