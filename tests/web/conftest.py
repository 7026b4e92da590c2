"""A workspace with lanes and a plan, real leases taken through the CLI, and the web
app driven through httpx's ASGI transport (or a real uvicorn server for the events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests._support.leases import Ran
from tests._support.mcp import DOS_TOML
from tests.store.conftest import _session_database, postgres_url, workspace_id

from dos import cli
from dos.web import create_app
from dos.workspace import load_config

__all__ = ["_session_database", "postgres_url", "workspace_id"]

TOKEN = "s3cret-token-for-the-tests-0123456789"  # noqa: S105 - the tests' own secret
PLAN = ("# AUTH\n\n## 1. AUTH AUTH1 — login\n\nstatus: done\n\n"
        "## 2. AUTH AUTH2 — logout\n\nstatus: done\n")


@pytest.fixture
def workspace(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("ws")
    repo.commit("AUTH1: add the login endpoint", {
        "dos.toml": DOS_TOML, "src/auth.py": "def login(): ...\n",
        "docs/auth-plan.md": PLAN})
    repo.commit("fix: correct the login flow", {"docs/login.md": "# login\n"})
    return Path(repo.path)


def dos(capsys: pytest.CaptureFixture[str], workspace: Path, *argv: str) -> tuple[int, str]:
    """``dos --workspace W ARGV`` in this process: its exit code and stdout."""
    ran = dos_ran(capsys, workspace, *argv)
    return ran.code, ran.out


def dos_ran(capsys: pytest.CaptureFixture[str], workspace: Path, *argv: str) -> Ran:
    """``dos --workspace W ARGV`` in this process: code, stdout and stderr."""
    capsys.readouterr()
    code = cli.main(["--workspace", str(workspace), *argv])
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


def take_leases(capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
    """Two grants, a refusal and a halt proposal: rows for top and for decisions."""
    for argv in (("lease-lane", "acquire", "--lane", "src", "--owner", "w1", "--json"),
                 ("lease-lane", "acquire", "--lane", "docs", "--owner", "w2", "--json"),
                 ("lease-lane", "acquire", "--lane", "src", "--owner", "w3", "--json"),
                 ("halt", "--handle", "42", "--lane", "src", "--command", "kill 42",
                  "--json"),
                 ("verify", "AUTH", "AUTH1", "--json")):
        dos(capsys, workspace, *argv)


def client_for(workspace: Path, *, token: str = "", owner: str = "",
               host: str = "127.0.0.1") -> httpx.AsyncClient:
    app = create_app(load_config(str(workspace), None), token=token, owner=owner)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url=f"http://{host}:8787")


@pytest.fixture
async def client(workspace: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(workspace, owner="alice") as opened:
        yield opened


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def body_json(answer: httpx.Response) -> Any:
    return json.loads(answer.text)
