"""halt and spawn record intent only: nothing is signalled, nothing is granted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.record.journal_admin import tail


def test_halt_records_the_command_and_leaves_the_lease(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    granted = lane_lease.acquire(workspace.config(), LeaseRequest(lane="src"), owner="A",
                                 loop_ts="L1", pid=999_999)
    assert granted.lease is not None
    result = dos_run("halt", "--json", "--handle", "999999", "--lane", "src",
                     "--command", "kill -TERM 999999", "--reason", "spinning")
    assert result.code == 0
    payload = result.json()
    assert payload["recorded"] is True
    assert payload["command"] == "kill -TERM 999999"
    assert (payload["lane"], payload["loop_ts"]) == ("src", "L1")
    assert payload["lease_id"] == granted.lease.lease_id
    halt = tail(workspace.config(), 1)[0]
    assert halt.op == "HALT"
    assert halt.payload["reason"] == "spinning"
    assert lane_lease.live_leases(workspace.config()) == [granted.lease]


def test_halt_correlates_by_pid_when_no_lane_is_given(workspace: Workspace) -> None:
    granted = lane_lease.acquire(workspace.config(), LeaseRequest(lane="docs"), owner="A",
                                 pid=31337)
    result = lane_lease.halt(workspace.config(), handle="31337", owner="watchdog",
                             lane="", loop_ts="", reason="", run_id="", command=None)
    assert granted.lease is not None
    assert result.lease_id == granted.lease.lease_id
    assert tail(workspace.config(), 1)[0].payload["reason"] == "halt:watchdog"


@pytest.mark.parametrize("run_id", ["../../../escape_test", "RID-../../x"])
def test_halt_refuses_run_ids_that_are_not_run_ids(workspace: Workspace,
                                                   dos_run: Callable[..., Ran],
                                                   run_id: str) -> None:
    result = dos_run("halt", "--json", "--handle", "1", "--run-id", run_id, "--resumable")
    assert result.code == 2
    assert "not a run id" in result.err
    assert not workspace.store.exists()
    assert not (workspace.path.parent / "escape_test").exists()


def test_resumable_halt_records_a_suspend(workspace: Workspace,
                                          dos_run: Callable[..., Ran]) -> None:
    plain = dos_run("halt", "--json", "--handle", "h", "--resumable").json()
    assert plain["suspended"] is False
    assert "--run-id" in plain["suspend_note"]
    run = "RID-1M8HSC4V72JNYG0"
    resumed = dos_run("halt", "--json", "--handle", "h", "--run-id", run, "--resumable",
                      "--resume-sha", "abc123").json()
    assert resumed["suspended"] is True
    last = tail(workspace.config(), 1)[0]
    assert (last.op, last.run_id, last.payload["resume_sha"]) == ("SUSPEND", run, "abc123")


def test_spawn_records_and_grants_nothing(workspace: Workspace,
                                          dos_run: Callable[..., Ran]) -> None:
    result = dos_run("lease-lane", "spawn", "--json", "--lane", "docs", "--run-id",
                     "RID-1M8HSC4V72JNYG0")
    assert result.code == 0
    payload = result.json()
    assert payload["recorded"] is True
    assert ":" in payload["holder"]
    assert lane_lease.live_leases(workspace.config()) == []
    assert tail(workspace.config(), 1)[0].op == "SPAWN"
