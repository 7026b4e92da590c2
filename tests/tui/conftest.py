"""A desk over a real repository: a plan document, a few stamped commits, a fixed clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dos.tui.app import DeskApp
from dos.tui.data import DeskData
from dos.workspace import load_config

NOW = datetime.datetime(2026, 1, 1, 1, 0, tzinfo=datetime.UTC)
SIZE = (100, 30)

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
    """``desk``: AUTH1 and AUTH3 shipped; the plan claims AUTH1 and AUTH2."""
    repo = git_repo("desk")
    repo.commit("init", {"README.md": "r\n", "docs/auth-plan.md": PLAN_DOC})
    repo.commit("AUTH1: login", {"src/login.py": "l\n"})
    repo.commit("AUTH3: tokens", {"src/tokens.py": "t\n"})
    return repo


def desk_app(repo: Any, screen: str, *, owner: str = "", interval: float = 0) -> DeskApp:
    """The app on ``screen`` with the fixed clock; no timer unless ``interval`` is given."""
    desk = DeskData(load_config(str(repo.path), None), owner=owner, clock=fixed_clock)
    return DeskApp(desk, screen=screen, interval=interval)
