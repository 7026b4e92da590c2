"""A workspace whose store is the test PostgreSQL server, and a private schema for
tests that alter the schema itself (triggers, versions)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from tests._support.leases import Ran

from dos.cli import main
from dos.config import SubstrateConfig, load_workspace_config

LANES = """\
[lanes]
concurrent = ["src", "core", "api", "docs", "tests"]
exclusive = ["global"]
autopick = ["docs", "tests"]

[lanes.trees]
src = ["src/**"]
core = ["src/core/**"]
api = ["src/api/**", "docs/api/**"]
docs = ["docs/**"]
tests = ["tests/**"]
global = ["**"]
"""


# Filled by the postgres conftest with a session-wide bytecode cache directory.
BYTECODE: dict[str, str] = {}


def child_env(**extra: str) -> dict[str, str]:
    """The environment for ``python -m dos`` children: bytecode cached in a temp dir,
    so each child does not compile the package (and psycopg) again."""
    base = {key: value for key, value in os.environ.items()
            if key != "PYTHONDONTWRITEBYTECODE"}
    return {**base, **BYTECODE, **extra}


@dataclass
class PgWorkspace:
    """A workspace directory whose dos.toml points at PostgreSQL."""

    path: Path
    url: str
    workspace_id: str

    def config(self) -> SubstrateConfig:
        return load_workspace_config(self.path)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dos", "--workspace", str(self.path), *args]

    def proc(self, *args: str, **env: str) -> Ran:
        """The real CLI as a child process."""
        done = subprocess.run(self.argv(*args), capture_output=True, text=True, timeout=60,
                              env=child_env(**env), check=False)
        return Ran(done.returncode, done.stdout, done.stderr)

    def run(self, *args: str, **env: str) -> Ran:
        """The CLI in this process (faster than :meth:`proc`), ``env`` set meanwhile."""
        saved = {name: os.environ.get(name) for name in env}
        out, err = io.StringIO(), io.StringIO()
        os.environ.update(env)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--workspace", str(self.path), *args])
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        return Ran(code, out.getvalue(), err.getvalue())

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Run ``query`` on a connection of its own (the test's eye on the server)."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(query, args)
            return cursor.fetchall() if cursor.description else []


def write_workspace(root: Path, url: str, workspace_id: str, extra: str = "") -> PgWorkspace:
    root.mkdir(parents=True, exist_ok=True)
    (root / "dos.toml").write_text(
        f"{LANES}\n[store]\nurl = {json.dumps(url)}\nworkspace_id = {json.dumps(workspace_id)}\n"
        f"{extra}", encoding="utf-8")
    return PgWorkspace(root.resolve(), url, workspace_id)
