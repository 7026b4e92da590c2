"""Shared fixtures: real git repositories with a fixed identity, and a guard that
fails any test writing to the real home directory."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dos import config as dos_config

_REAL_HOME = Path.home()

# git must not read the user's or the machine's configuration in tests.
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_TERMINAL_PROMPT": "0",
}


class GitRepo:
    """A real git repository in a temp dir; commits get deterministic timestamps."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tick = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full_env = {**os.environ, **GIT_ENV, **(env or {})}
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=full_env, check=True,
            capture_output=True, text=True,
        )
        return done.stdout.strip()

    def write(self, rel: str, text: str = "x\n") -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def commit(self, subject: str, files: dict[str, str] | None = None, *,
               allow_empty: bool = False, body: str = "") -> str:
        """Write ``files``, stage everything and commit; returns the full sha."""
        for rel, text in (files or {}).items():
            self.write(rel, text)
        self.git("add", "-A")
        self._tick += 1
        stamp = f"2026-01-01T00:{self._tick // 60:02d}:{self._tick % 60:02d}+00:00"
        args = ["commit", "-q", "-m", subject]
        if body:
            args += ["-m", body]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
        return self.git("rev-parse", "HEAD")


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
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in list(os.environ):
        if name.startswith(("DISPATCH_", "DOS_", "CID_")) and name != "DOS_TEST_POSTGRES_URL":
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
