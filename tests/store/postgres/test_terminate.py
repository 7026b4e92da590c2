"""A holder's connection terminated while its acquire is inside the transaction
(lease inserted, ACQUIRE appended, not yet committed): nothing of the grant survives,
and the workspace's lock is free again at once."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from tests._support.postgres import PgWorkspace, child_env

from dos.admission import lane_lease
from dos.admission.lane_lease import PAUSE_ENV
from dos.admission.lease import LeaseRequest
from dos.record.journal_admin import verify

pytestmark = pytest.mark.postgres


def _wait_for(marker: Path, child: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text(encoding="utf-8").strip()):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the acquire never reached its pause"
        time.sleep(0.05)
    return int(marker.read_text(encoding="utf-8"))


def test_terminated_holder_mid_acquire_leaves_no_partial_grant(pg_workspace: PgWorkspace,
                                                               tmp_path: Path) -> None:
    marker = tmp_path / "paused-in-acquire"
    child = subprocess.Popen(
        pg_workspace.argv("lease-lane", "acquire", "--lane", "src", "--owner", "doomed"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=child_env(**{PAUSE_ENV: str(marker), "DISPATCH_HOST_ID": "host-doomed"}))
    try:
        pid = _wait_for(marker, child)
        backends = pg_workspace.sql(
            "SELECT pid, state FROM pg_stat_activity WHERE application_name = %s",
            f"dos:{pid}")
        assert [state for _pid, state in backends] == ["idle in transaction"]
        # Inside the open transaction the grant exists; outside, nothing is visible.
        assert pg_workspace.sql("SELECT count(*) FROM dos_leases WHERE workspace = %s",
                                pg_workspace.workspace_id) == [(0,)]
        assert pg_workspace.sql("SELECT pg_terminate_backend(%s)",
                                backends[0][0]) == [(True,)]
    finally:
        child.kill()
        child.communicate()

    assert pg_workspace.sql(
        "SELECT (SELECT count(*) FROM dos_leases WHERE workspace = %s), "
        "(SELECT count(*) FROM dos_journal WHERE workspace = %s)",
        pg_workspace.workspace_id, pg_workspace.workspace_id) == [(0, 0)]
    config = pg_workspace.config()
    got = lane_lease.acquire(config, LeaseRequest(lane="src"), owner="next")
    assert got.acquired  # the advisory lock died with the connection (else: busy)
    assert [lease.holder for lease in lane_lease.live_leases(config)] == ["next"]
    report = verify(config)
    assert report.ok, report.to_dict()
    assert report.chain.records == 1
