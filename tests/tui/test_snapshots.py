"""The three screens pinned at 100x30 (pytest-textual-snapshot; `--snapshot-update` after an
intended change, then look at the new SVGs before committing them). Every time on them is
pinned: the app's clock, the store's clock and the commit dates."""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.conftest import SIZE, desk_app, seed_decisions, seed_lanes

from dos.store import TEST_CLOCK_ENV


def test_plan_screen(plan_repo: Any, snap_compare: Any) -> None:
    assert snap_compare(desk_app(plan_repo, "plan"), terminal_size=SIZE, press=["down", "enter"])


def test_top_screen(plan_repo: Any, snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(seed_lanes(plan_repo)))
    assert snap_compare(desk_app(plan_repo, "top"), terminal_size=SIZE, press=["enter"])


def test_decisions_screen(plan_repo: Any, snap_compare: Any,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(seed_decisions(plan_repo)))
    assert snap_compare(desk_app(plan_repo, "decisions"), terminal_size=SIZE,
                        press=["e", "down", "enter"])


def test_the_resolve_dialog(plan_repo: Any, snap_compare: Any,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(seed_decisions(plan_repo)))
    assert snap_compare(desk_app(plan_repo, "decisions", owner="op"), terminal_size=SIZE,
                        press=["a"])
