"""dos lease: a named mutex with a TTL; stale locks are stolen atomically, and only
the holder (or --force) releases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import mutex

T0 = 1_800_000_000_000


def test_acquire_reenter_busy_release(workspace: Workspace, dos_run: Callable[..., Ran],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    assert dos_run("lease", "status").out.strip() == "free"
    assert not workspace.store.exists()  # status reads only
    assert dos_run("lease", "acquire", "ownA").out.strip() == "acquired ownA"
    again = dos_run("lease", "acquire", "ownA")
    assert again.code == 0
    assert again.out.startswith("re-entrant ownA prev-acquired-at=")
    busy = dos_run("lease", "acquire", "ownB", "--retries", "2", "--retry-interval", "0")
    assert busy.code == 1
    assert busy.err.count("waiting on ownA") == 2
    assert "busy ownA age=0s" in busy.err
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 42_000))
    assert dos_run("lease", "status").out.strip() == "held ownA age=42s"
    refused = dos_run("lease", "release", "ownB")
    assert refused.code == 1
    assert "owner mismatch (have=ownA, expected=ownB)" in refused.err
    assert dos_run("lease", "release", "ownA").out.strip() == "released ownA"
    assert dos_run("lease", "release", "ownA").out.strip() == "released (no-lock)"


def test_stale_lock_is_stolen_once_and_tokens_grow(workspace: Workspace,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = workspace.config()
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    first = mutex.acquire(config, "old", ttl_s=60, retries=0)
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 59_000))
    assert mutex.acquire(config, "new", retries=0).action == "busy"
    assert mutex.status(config)[0] == "held"
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 60_000))
    assert mutex.status(config)[0] == "stale"
    stolen = mutex.acquire(config, "new", ttl_s=60, retries=0)
    assert stolen.action == "stole-stale"
    assert stolen.held is not None
    assert stolen.held.owner == "old"
    assert stolen.age_s == 60
    assert mutex.acquire(config, "third", retries=0).action == "busy"  # the steal was one
    assert first.token is not None
    assert stolen.token is not None
    assert stolen.token > first.token
    assert mutex.release(config, "old").action == "mismatch"
    forced = mutex.release(config, "someone", force=True)
    assert forced.action == "force-released"
    assert forced.held is not None
    assert forced.held.owner == "new"


def test_names_are_independent_and_json_output(workspace: Workspace,
                                               dos_run: Callable[..., Ran]) -> None:
    assert dos_run("lease", "acquire", "a", "--name", "deploy").code == 0
    other = dos_run("--json", "lease", "acquire", "b", "--name", "archive")
    assert other.code == 0
    assert other.json()["action"] == "acquired"
    status = dos_run("--json", "lease", "status", "--name", "deploy").json()
    assert status["state"] == "held"
    assert status["owner"] == "a"
    assert dos_run("lease", "acquire", "").code == 2
