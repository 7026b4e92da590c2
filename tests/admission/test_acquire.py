"""Admission through the store: grants and refusals are atomic, journaled, and
decided by the arbiter against the live set."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import Lease, LeaseRequest
from dos.errors import UsageError
from dos.record.journal_admin import tail, verify


def test_grant_then_refusal_both_journaled(workspace: Workspace) -> None:
    config = workspace.config()
    first = lane_lease.acquire(config, LeaseRequest(lane="src"), owner="A", run_id="",
                               pid=4242, host_id="box")
    second = lane_lease.acquire(config, LeaseRequest(lane="frontend"), owner="B")
    assert first.acquired
    assert first.lease is not None
    assert (first.lease.lane, first.lease.tree, first.lease.holder) == ("src", ("src/**",), "A")
    assert (first.lease.pid, first.lease.host_id) == (4242, "box")
    assert not second.acquired
    assert second.lease is None
    assert second.decision.reason_class == "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP"
    assert first.lease.lease_id in second.decision.blockers
    records = tail(config, 0)
    assert [r.op for r in records] == ["ACQUIRE", "REFUSE"]
    assert records[0].lease_id == first.lease.lease_id
    assert records[0].payload["lease"]["tree"] == ["src/**"]
    assert records[1].holder == "B"
    assert records[1].payload["reason_class"] == "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP"
    assert verify(config).ok


def test_exclusive_lane_is_exclusive_whatever_the_caller_says(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    taken = dos_run("lease-lane", "acquire", "--json", "--lane", "global", "--owner", "A")
    assert taken.code == 0
    assert taken.json()["exclusive"] is True
    other = dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--kind", "cluster",
                    "--owner", "B")
    assert other.code == 1
    assert other.json()["reason_class"] == "EXCLUSIVE_LIVE"
    lease = lane_lease.live_leases(workspace.config())[0]
    assert lease.exclusive_lane


def test_extra_leases_can_only_refuse_more(workspace: Workspace,
                                           dos_run: Callable[..., Ran]) -> None:
    held = '[{"lane": "docs", "tree": ["docs/**"], "holder": "elsewhere", "lease_id": 99}]'
    refused = dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "A",
                      "--leases", held)
    assert refused.code == 1
    assert lane_lease.live_leases(workspace.config()) == []
    assert dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "A",
                   "--leases", "[]").code == 0


@pytest.mark.parametrize("leases", ["[1, 2]", "{}", "not json", '[{"lane": 5}]'])
def test_malformed_leases_argument_is_a_usage_error(dos_run: Callable[..., Ran],
                                                    leases: str) -> None:
    result = dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "A",
                     "--leases", leases)
    assert result.code == 2
    assert "--leases" in result.err


def test_owner_comes_from_flag_then_env_and_is_never_blank(
        workspace: Workspace, dos_run: Callable[..., Ran],
        monkeypatch: pytest.MonkeyPatch) -> None:
    blank = dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "  ")
    assert blank.code == 2
    assert "owner is required" in blank.err
    assert not workspace.store.exists()
    monkeypatch.setenv("DOS_OWNER", "from-env")
    taken = dos_run("lease-lane", "acquire", "--json", "--lane", "docs")
    assert taken.code == 0
    assert taken.json()["owner"] == "from-env"
    monkeypatch.delenv("DOS_OWNER")
    with pytest.raises(UsageError, match="owner is required"):
        lane_lease.release(workspace.config(), lane="docs", owner="")
    assert lane_lease.live_leases(workspace.config())[0].holder == "from-env"
    assert lane_lease.release(workspace.config(), lane="docs", owner="from-env").released


@pytest.mark.parametrize("run_id", ["../../../escape", "RID-short", "not an id"])
def test_run_ids_are_validated(dos_run: Callable[..., Ran], run_id: str) -> None:
    result = dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "A",
                     "--run-id", run_id)
    assert result.code == 2
    assert "not a run id" in result.err


def test_run_id_is_recorded_canonically(workspace: Workspace) -> None:
    result = lane_lease.acquire(workspace.config(), LeaseRequest(lane="docs"), owner="A",
                                run_id="rid-1m8hsc4v72jnyg0")
    assert result.lease is not None
    assert result.lease.run_id == "RID-1M8HSC4V72JNYG0"
    assert result.to_dict()["run_id"] == "RID-1M8HSC4V72JNYG0"


def test_bad_request_changes_nothing(workspace: Workspace) -> None:
    config = workspace.config()
    lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="A")
    before = len(tail(config, 0))
    with pytest.raises(UsageError):
        lane_lease.acquire(config, LeaseRequest(lane="src", tree=("../outside/**",)),
                           owner="B")
    with pytest.raises(UsageError):
        lane_lease.acquire(config, LeaseRequest(lane="src"), owner="B", ttl_s=0)
    assert len(tail(config, 0)) == before


def test_live_set_reads_never_create_the_store(workspace: Workspace,
                                               dos_run: Callable[..., Ran]) -> None:
    assert lane_lease.live_leases(workspace.config()) == []
    assert dos_run("lease-lane", "live", "--json").out.strip() == "[]"
    assert dos_run("lease-lane", "release", "--json", "--lane", "docs", "--owner", "A").code == 1
    assert dos_run("lease-lane", "heartbeat", "--json", "--lane", "docs", "--owner", "A").code == 1
    assert dos_run("lease-lane", "reap", "--json").code == 0
    assert not workspace.store.exists()
    assert not (workspace.path / ".dos").exists()


def test_shared_mode_leases_coexist(workspace: Workspace) -> None:
    config = workspace.config()
    one = lane_lease.acquire(config, LeaseRequest(lane="docs", mode="shared"), owner="A")
    two = lane_lease.acquire(config, LeaseRequest(lane="docs", mode="shared"), owner="B")
    three = lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="C")
    assert one.acquired
    assert two.acquired
    assert not three.acquired
    assert {lease.holder for lease in lane_lease.live_leases(config)} == {"A", "B"}


def test_lease_round_trips_through_the_store(workspace: Workspace) -> None:
    config = workspace.config()
    granted = lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="A", ttl_s=90,
                                 loop_ts="L1")
    live = lane_lease.live_leases(config)
    assert live == [granted.lease]
    assert isinstance(live[0], Lease)
    assert live[0].ttl_ms == 90_000
    assert live[0].loop_ts == "L1"


def test_retries_wait_out_a_store_locked_past_its_busy_timeout(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    import sqlite3
    import threading

    workspace.set_toml("\n[store]\nbusy_timeout_ms = 50\n")
    assert dos_run("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "A").code == 0
    blocker = sqlite3.connect(workspace.store, check_same_thread=False, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the store
        at_once = dos_run("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "B",
                          "--retries", "0")
        assert at_once.code == 75
        assert at_once.json()["outcome"] == "STORE_BUSY"
        threading.Timer(0.3, lambda: blocker.execute("ROLLBACK")).start()
        patient = dos_run("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "B",
                          "--retries", "50", "--retry-interval", "0.05")
    finally:
        blocker.close()
    assert patient.code == 0, patient.err
    assert patient.json()["lease_id"] is not None
