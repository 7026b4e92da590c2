"""The three screens pinned at 100x30 (pytest-textual-snapshot; `--snapshot-update` after an
intended change, then look at the new SVGs before committing them)."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import SIZE, desk_app


def test_plan_screen(plan_repo: Any, snap_compare: Any) -> None:
    assert snap_compare(desk_app(plan_repo, "plan"), terminal_size=SIZE, press=["down", "enter"])
