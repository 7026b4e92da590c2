"""Real git repositories with a fixed identity, for every test that needs one."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
