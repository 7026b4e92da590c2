"""Opening the registry for a workspace, registering it, and ``dos reindex``: re-check
every registered project, read each one's new history, and prune (only this owner's
projects whose directory no longer holds them)."""

from __future__ import annotations

import time
from pathlib import Path

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.record.projects.card import read_card
from dos.record.projects.home import owner, registry_target
from dos.record.projects.register import Registration, ingest, register_in
from dos.store.registry import ProjectRow, open_registry
from dos.structs import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    from dos.store.registry.postgres import PostgresRegistry
    from dos.store.registry.sqlite import SqliteRegistry

    Registry: TypeAlias = SqliteRegistry | PostgresRegistry

__all__ = ["Checked", "Reindexed", "now_ms", "open_for", "register", "reindex", "stale"]


def now_ms() -> int:
    from dos.store import test_clock_ms

    clock = test_clock_ms()
    return clock if clock is not None else int(time.time() * 1000)


def open_for(config: SubstrateConfig) -> Registry:
    """The registry ``config``'s workspace belongs to."""
    return open_registry(registry_target(config), busy_timeout_ms=config.store.busy_timeout_ms)


def register(config: SubstrateConfig) -> Registration:
    with open_for(config).transaction(write=True, owner=owner()) as reg:
        assert reg is not None  # noqa: S101 - a write transaction always has one
        return register_in(reg, config, now_ms=now_ms())


def stale(row: ProjectRow) -> bool:
    """Whether ``row``'s root no longer holds the project (gone, or another card)."""
    try:
        found = read_card(Path(row.root))
    except DosError:
        return True
    return found is None or found.project_id != row.project_id


@struct
class Checked:
    project_id: str
    label: str
    root: str
    status: str  # active, stale, pruned or unreadable
    events: int = 0
    problem: str = ""


@struct
class Reindexed:
    registry: str
    checked: tuple[Checked, ...]

    def count(self, status: str) -> int:
        return sum(check.status == status for check in self.checked)


def _check(registry: Registry, row: ProjectRow, *, prune: bool) -> Checked:
    from dos.config import load_workspace_config

    facts = (row.project_id, row.label, row.root)
    with registry.transaction(write=True, owner=owner()) as reg:
        assert reg is not None  # noqa: S101 - a write transaction always has one
        if stale(row):
            if prune:
                reg.delete_project(row.project_id)
            return Checked(*facts, "pruned" if prune else "stale")
        try:
            added = ingest(reg, row, load_workspace_config(Path(row.root)))
        except DosError as error:
            return Checked(*facts, "unreadable", problem=error.message)
        return Checked(*facts, "active", added)


def reindex(config: SubstrateConfig, *, prune: bool) -> Reindexed:
    """Re-check each of this owner's projects, one short transaction each, so
    registrations never wait for the whole sweep."""
    registry = open_for(config)
    with registry.transaction(write=True, owner=owner()) as reg:
        assert reg is not None  # noqa: S101 - a write transaction always has one
        rows = reg.projects()
    return Reindexed(registry.shown, tuple(_check(registry, row, prune=prune) for row in rows))
