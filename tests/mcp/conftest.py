"""A workspace with lanes src and docs, a shipped AUTH1, an unwitnessed fix and a
transcript; and the server's stderr, checked for crashes after every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import DOS_TOML, TRANSCRIPT


@pytest.fixture
def workspace(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("ws")
    repo.commit("AUTH1: add the login endpoint", {"dos.toml": DOS_TOML,
                                                  "src/auth.py": "def login(): ...\n"})
    repo.commit("fix: correct the login flow", {"docs/login.md": "# login\n"})
    repo.commit("test: cover the login endpoint", {"tests/test_auth.py": "def test(): ...\n"})
    repo.write("runs/agent.jsonl", TRANSCRIPT)
    return repo.path


@pytest.fixture
def errlog(tmp_path: Path) -> Iterator[Path]:
    """Where the servers' stderr goes; a traceback there fails the test."""
    path = tmp_path / "dos-mcp.stderr"
    path.touch()
    yield path
    assert "Traceback" not in path.read_text(encoding="utf-8")
