"""LISTEN/NOTIFY: each committed append wakes listeners with ``<workspace>:<seq>``;
a rolled-back one never does, and a listener can follow one workspace only."""

from __future__ import annotations

import time

import pytest

from dos.store import open_store
from dos.store.journal import JournalEntry
from dos.store.postgres_notify import OpNotice, OpsListener, listen

pytestmark = pytest.mark.postgres


class _RolledBackError(Exception):
    pass


def _until(listener: OpsListener, wanted: OpNotice, timeout_s: float = 5) -> list[OpNotice]:
    """Every notice until ``wanted`` arrives (a shared server has other traffic)."""
    seen: list[OpNotice] = []
    deadline = time.monotonic() + timeout_s
    while wanted not in seen and time.monotonic() < deadline:
        seen += listener.wait(0.2)
    return seen


def test_committed_appends_notify_listeners_and_rolled_back_ones_do_not(
        postgres_url: str, workspace_id: str) -> None:
    store = open_store(postgres_url, workspace_id=workspace_id)
    other = open_store(postgres_url, workspace_id=f"{workspace_id}-other")
    with listen(postgres_url, workspace_id=workspace_id) as mine, \
            listen(postgres_url) as everyone:
        with store.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN"))
            tx.append(JournalEntry("HALT"))
        assert mine.wait(5, limit=2) == [OpNotice(workspace_id, 1), OpNotice(workspace_id, 2)]

        def roll_back() -> None:
            with store.transaction(write=True) as tx:
                tx.append(JournalEntry("SPAWN"))
                raise _RolledBackError

        with pytest.raises(_RolledBackError):
            roll_back()
        with other.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN"))
        assert mine.wait(0.3) == []  # neither the rollback nor the other workspace
        seen = _until(everyone, OpNotice(f"{workspace_id}-other", 1))
        assert OpNotice(f"{workspace_id}-other", 1) in seen  # other tests' notices too
        assert OpNotice(workspace_id, 3) not in seen
    store.close()
    other.close()
