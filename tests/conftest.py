"""Shared fixtures: real git repositories with a fixed identity, and a guard that
fails any test writing to the real home directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests._support.git import GIT_ENV, GitRepo

from dos import config as dos_config

_REAL_HOME = Path.home()
# Settings of the test run itself: the server to use, and which PostgreSQL client.
_KEPT_ENV = frozenset(("DOS_TEST_POSTGRES_URL", "DOS_PG_DRIVER"))


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[..., GitRepo]:
    """Factory: ``git_repo()`` or ``git_repo("name")`` makes a fresh repository."""
    counter = iter(range(1_000_000))

    def make(name: str = "") -> GitRepo:
        path = tmp_path / (name or f"repo{next(counter)}")
        path.mkdir(parents=True)
        return GitRepo(path)
    return make


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point HOME and XDG dirs at a temp dir, drop dos variables, reset the active config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))  # keeper sockets
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in list(os.environ):
        if name.startswith(("DISPATCH_", "DOS_", "CID_")) and name not in _KEPT_ENV:
            monkeypatch.delenv(name, raising=False)
    dos_config.set_active(None)
    yield
    dos_config.set_active(None)


def _home_snapshot() -> set[str]:
    if not _REAL_HOME.is_dir():
        return set()
    return {entry.name for entry in _REAL_HOME.iterdir()}


@pytest.fixture(autouse=True, scope="session")
def _guard_real_home() -> Iterator[None]:
    """Fail the run if any test created something in the real home directory."""
    before = _home_snapshot()
    yield
    created = _home_snapshot() - before
    if created:
        pytest.fail(f"tests wrote to the real home directory: {sorted(created)}")
