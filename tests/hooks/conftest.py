"""A workspace with two lanes (api, ui), a commit that ships AUTH1, and session-A
holding the api lane; and a helper that runs `dos hook` through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.hooks import DOS_TOML, SESSION_A, HookRun, run_cli


@pytest.fixture
def workspace(git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repo with lanes api and ui; AUTH1 shipped; session-A holds lane api (lease #1)."""
    repo = git_repo("ws")
    repo.commit("AUTH1: ship the login endpoint", {"dos.toml": DOS_TOML,
                                                   "src/api/a.py": "a = 1\n",
                                                   "src/ui/b.py": "b = 1\n"})
    root = Path(repo.path).resolve()
    done = run_cli(capsys, monkeypatch, ["--workspace", str(root), "lease-lane", "acquire",
                                         "--lane", "api", "--owner", SESSION_A])
    assert done.code == 0, done.stderr
    return root


@pytest.fixture
def dos_cli(capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> Callable[..., HookRun]:
    """``dos_cli(*argv, stdin=b"")`` runs ``dos ARGV`` in this process."""
    def run(*argv: str, stdin: bytes = b"") -> HookRun:
        return run_cli(capsys, monkeypatch, list(argv), stdin)
    return run


@pytest.fixture
def hook(dos_cli: Callable[..., HookRun]) -> Callable[..., HookRun]:
    """``hook(verb, dialect, payload)`` runs ``dos hook VERB --dialect DIALECT``."""
    def run(verb: str, dialect: str, payload: object, *extra: str) -> HookRun:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return dos_cli("hook", verb, "--dialect", dialect, *extra, stdin=data)
    return run
