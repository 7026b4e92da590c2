"""Fixtures for the temporal tests: a workspace repository and a `dos` runner whose
store clock is set through the store's test-only override."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dos.cli import main
from dos.store import TEST_CLOCK_ENV


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out.strip().splitlines()[-1])


@dataclass
class Workspace:
    """A real repository with one commit, and ways to run `dos` in it at a set time."""

    repo: Any
    start_sha: str
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    @property
    def path(self) -> Path:
        return Path(self.repo.path)

    def dos(self, *args: str, at: int | None = None) -> Result:
        """In process: ``dos.cli.main`` with the store clock at ``at`` (epoch ms)."""
        if at is None:
            self.monkeypatch.delenv(TEST_CLOCK_ENV, raising=False)
        else:
            self.monkeypatch.setenv(TEST_CLOCK_ENV, str(at))
        self.capsys.readouterr()
        code = main(["--workspace", str(self.path), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def dos_process(self, *args: str, at: int | None = None) -> Result:
        """A separate `python -m dos` process, as cron or a shell would run it."""
        env = {k: v for k, v in os.environ.items() if k != TEST_CLOCK_ENV}
        if at is not None:
            env[TEST_CLOCK_ENV] = str(at)
        done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(self.path),
                               *args], capture_output=True, text=True, env=env, check=False,
                              timeout=60)
        return Result(done.returncode, done.stdout, done.stderr)

    def acquire(self, lane: str, owner: str, run_id: str, *, at: int,
                ttl_s: int = 7200, extra: tuple[str, ...] = ()) -> Any:
        result = self.dos("lease-lane", "acquire", "--lane", lane, "--owner", owner,
                          "--run-id", run_id, "--ttl-seconds", str(ttl_s), "--json", *extra,
                          at=at)
        assert result.code == 0, result.err + result.out
        return result.json()

    def heartbeat(self, lane: str, owner: str, *, at: int) -> None:
        result = self.dos("lease-lane", "heartbeat", "--lane", lane, "--owner", owner,
                          "--json", at=at)
        assert result.code == 0, result.err + result.out
