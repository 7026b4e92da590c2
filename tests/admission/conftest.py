"""A workspace with declared lanes, and ways to drive ``dos`` in it: in process
(``dos_run``) and as real processes (``dos_proc``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.leases import LANES, Ran, Workspace

from dos.cli import main


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "dos.toml").write_text(LANES, encoding="utf-8")
    return Workspace(root.resolve())


@pytest.fixture
def dos_run(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """``dos_run("lease-lane", "live")``: the CLI in this process, output captured."""
    def run(*args: str) -> Ran:
        capsys.readouterr()
        code = main(["--workspace", str(workspace.path), *args])
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)
    return run


@pytest.fixture(scope="session")
def subprocess_env(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., dict[str, str]]:
    """The environment for ``python -m dos`` children: bytecode cached in a temp dir,
    so 32 children do not each compile the package."""
    cache = tmp_path_factory.mktemp("pycache")

    def env(**extra: str) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items()
                if key != "PYTHONDONTWRITEBYTECODE"}
        return {**base, "PYTHONPYCACHEPREFIX": str(cache), **extra}
    return env


@pytest.fixture
def dos_argv(workspace: Workspace) -> Callable[..., list[str]]:
    def argv(*args: str) -> list[str]:
        return [sys.executable, "-m", "dos", "--workspace", str(workspace.path), *args]
    return argv


@pytest.fixture
def dos_proc(dos_argv: Callable[..., list[str]],
             subprocess_env: Callable[..., dict[str, str]]) -> Callable[..., Ran]:
    """``dos_proc("lease-lane", "acquire", …)``: the real CLI as a child process."""
    def run(*args: str, **env: str) -> Ran:
        done = subprocess.run(dos_argv(*args), capture_output=True, text=True, timeout=60,
                              env=subprocess_env(**env), check=False)
        return Ran(done.returncode, done.stdout, done.stderr)
    return run
