"""A desk over a real repository: lanes, a plan document, a few stamped commits, a fixed
clock (the app's and the store's), and ``dos`` run as a separate process."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from dos.store import TEST_CLOCK_ENV
from dos.tui.app import DeskApp
from dos.tui.data import DeskData
from dos.workspace import load_config

NOW = datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.UTC)
NOW_MS = int(NOW.timestamp() * 1000)
SIZE = (100, 30)

LANES = """[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**"]
"""

PLAN_DOC = """id: AUTH
# Auth plan

## 1. AUTH AUTH1 — login SHIPPED
## 2. AUTH AUTH2 — password reset SHIPPED
## 3. AUTH AUTH3 — tokens (soaking)
## 4. AUTH AUTH4 — sessions
"""


def fixed_clock() -> datetime.datetime:
    return NOW


@pytest.fixture
def plan_repo(git_repo: Callable[..., Any]) -> Any:
    """``desk``: lanes src, docs and *global; AUTH1 and AUTH3 shipped; the plan claims
    AUTH1 and AUTH2."""
    repo = git_repo("desk")
    repo.commit("init", {"dos.toml": LANES, "README.md": "r\n",
                         "docs/auth-plan.md": PLAN_DOC})
    repo.commit("AUTH1: login", {"src/login.py": "l\n"})
    repo.commit("AUTH3: tokens", {"src/tokens.py": "t\n"})
    return repo


def desk_app(repo: Any, screen: str, *, owner: str = "", interval: float = 0) -> DeskApp:
    """The app on ``screen`` with the fixed clock; no timer unless ``interval`` is given."""
    desk = DeskData(load_config(str(repo.path), None), owner=owner, clock=fixed_clock)
    return DeskApp(desk, screen=screen, interval=interval)


def dos(repo: Any, *args: str, at_ms: int | None = None) -> Any:
    """``dos --workspace REPO ARGS`` as its own process (at store time ``at_ms``); the
    parsed JSON when ``--json`` is among ``args``, else the completed process."""
    env = {**os.environ, **({TEST_CLOCK_ENV: str(at_ms)} if at_ms is not None else {})}
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(repo.path), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout) if "--json" in args else done


def seed_lanes(repo: Any) -> int:
    """Two leases taken by other processes for this one at ``NOW_MS``: src (with a commit
    in its tree since) and docs (a 60 s TTL); returns the time to look at them, 90 s
    later, when docs has expired."""
    for lane, owner, ttl, run in (("src", "agent-7", "3600", "RID-1M93P0KZF6QTGHA"),
                                  ("docs", "agent-9", "60", "RID-1M93P0M155G6AF0")):
        dos(repo, "lease-lane", "acquire", "--lane", lane, "--owner", owner, "--pid",
            str(os.getpid()), "--ttl-seconds", ttl, "--run-id", run, at_ms=NOW_MS)
    repo.commit("AUTH4: sessions", {"src/sessions.py": "s\n"})
    return NOW_MS + 90_000


def seed_decisions(repo: Any) -> int:
    """A refusal (agent-B asked for src while agent-A held it) and a halt proposal for
    agent-A's run, at ``NOW_MS``; returns the time to look at them, 90 s later."""
    seed_lanes(repo)
    dos(repo, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-B", at_ms=NOW_MS)
    dos(repo, "halt", "--handle", "4242", "--lane", "src", "--owner", "watchdog",
        "--run-id", "RID-1M93P0KZF6QTGHA", "--command", "kill -TERM 4242",
        "--reason", "spinning for an hour", at_ms=NOW_MS)
    return NOW_MS + 90_000
