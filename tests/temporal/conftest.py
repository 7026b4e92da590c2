"""Fixtures for the temporal tests: a workspace repository and a `dos` runner whose
store clock is set through the store's test-only override."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests._support.temporal import Workspace


@pytest.fixture
def workspace(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> Workspace:
    repo = git_repo("ws")
    sha = repo.commit("init", {"README.md": "hello\n"})
    return Workspace(repo=repo, start_sha=sha, capsys=capsys, monkeypatch=monkeypatch)
