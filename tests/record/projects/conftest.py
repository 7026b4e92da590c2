"""Projects in real git repositories, a registry home of the test's own, and the CLI
driven in process; the registry's backend is SQLite (DOS_HOME), then PostgreSQL."""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.leases import LANES, Ran
from tests.store.conftest import _session_database, postgres_url

from dos.cli import main

__all__ = ["Dos", "_session_database", "backend", "dos", "home", "make_project",
           "postgres_url"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DOS_HOME, named: roots under the temp directory are registered."""
    path = tmp_path / "dos-home"
    monkeypatch.setenv("DOS_HOME", str(path))
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, home: Path) -> str:
    """``[store]`` lines for a project's dos.toml: the embedded store (the registry in
    DOS_HOME), or the PostgreSQL one (the registry in its dos_registry schema)."""
    if request.param == "sqlite":
        return ""
    url = str(request.getfixturevalue("postgres_url"))
    return f'\n[store]\nurl = "{url}"\nworkspace_id = "proj-{uuid.uuid4().hex}"\n'


def make_project(root: Path, store: str = "") -> Path:
    root.mkdir(parents=True)
    repo = GitRepo(root)
    repo.commit("AUTH1: the first phase", {"dos.toml": LANES + store, "src/a.py": "a = 1\n"})
    return root.resolve()


@dataclass
class Dos:
    """``dos(root, "projects", "--json")``: the CLI in this process, in ``root``."""

    def __call__(self, root: Path, *args: str) -> Ran:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--workspace", str(root), *args])
        return Ran(code, out.getvalue(), err.getvalue())

    def json(self, root: Path, *args: str) -> Any:
        ran = self(root, *args, "--json")
        assert ran.code == 0, ran.err
        return json.loads(ran.out)

    def listed(self, root: Path, under: Path) -> list[dict[str, Any]]:
        """``dos projects`` rows whose root is under ``under`` (a shared PostgreSQL
        registry also holds other tests' projects)."""
        rows = self.json(root, "projects")["projects"]
        return [row for row in rows if Path(row["root"]).is_relative_to(under)]

    def refuse_and_decide(self, root: Path) -> None:
        """One lease refusal (another owner holds src) and the operator's answer to it."""
        assert self(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
        assert self(root, "lease-lane", "acquire", "--lane", "src", "--owner", "b").code == 1
        resolved = self(root, "decisions", "resolve", "1", "--approve", "--owner", "op")
        assert resolved.code == 0, resolved.err


@pytest.fixture
def dos() -> Dos:
    return Dos()

