"""The ops journal verbs reuse the admission tests' lease workspace fixtures; the verdict
journal's tests get a git workspace whose store is on each backend in turn."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from tests._support.git import GitRepo
from tests._support.postgres import LANES, PgWorkspace, write_workspace
from tests.admission.conftest import dos_argv, dos_proc, dos_run, subprocess_env, workspace
from tests.store.conftest import _session_database, postgres_url

__all__ = ["_session_database", "both_ws", "dos_argv", "dos_proc", "dos_run", "fresh_ws",
           "postgres_url", "subprocess_env", "workspace"]


def _repo(root: Path, toml: str) -> None:
    repo = GitRepo(root)
    repo.commit("AUTH1: ship the login endpoint", {"dos.toml": toml, "src/a.py": "a = 1\n"})


@pytest.fixture(params=["sqlite", "postgres"])
def both_ws(request: pytest.FixtureRequest, tmp_path: Path) -> PgWorkspace:
    """A git workspace with lanes whose store is SQLite, then PostgreSQL (no store yet)."""
    root = tmp_path / "ws"
    root.mkdir()
    if request.param == "postgres":
        workspace = write_workspace(root, str(request.getfixturevalue("postgres_url")),
                                    f"test-{uuid.uuid4().hex}")
        _repo(root, (root / "dos.toml").read_text(encoding="utf-8"))
        return workspace
    _repo(root, LANES)
    return PgWorkspace(root.resolve(), "", "")


@pytest.fixture
def fresh_ws(tmp_path: Path) -> PgWorkspace:
    """A git workspace with lanes on the embedded store, which does not exist yet."""
    root = tmp_path / "fresh"
    root.mkdir()
    _repo(root, LANES)
    return PgWorkspace(root.resolve(), "", "")
