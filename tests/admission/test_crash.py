"""A writer killed inside the acquire transaction: nothing of its grant survives,
and the next acquirer proceeds at once (the lock dies with the process)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.record.journal_admin import tail, verify


def _wait_for(path: Path, child: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never reached the pause"
        time.sleep(0.02)


def test_sigkill_inside_acquire_leaves_the_store_consistent(
        workspace: Workspace, dos_argv: Callable[..., list[str]],
        subprocess_env: Callable[..., dict[str, str]], dos_proc: Callable[..., Ran],
        dos_run: Callable[..., Ran]) -> None:
    # A long busy timeout: if the lock outlived the killed writer, the next acquire
    # would hang for a minute instead of finishing in seconds.
    workspace.set_toml("\n[store]\nbusy_timeout_ms = 60000\n")
    assert lane_lease.acquire(workspace.config(), LeaseRequest(lane="docs"), owner="before")
    marker = workspace.path.parent / "paused"
    child = subprocess.Popen(
        dos_argv("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "victim"),
        env=subprocess_env(DOS_TEST_PAUSE_IN_ACQUIRE=str(marker)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(marker, child)
        # The victim holds the write lock with its grant written but not committed.
        assert [lease.holder for lease in lane_lease.live_leases(workspace.config())] \
            == ["before"]
        workspace.set_toml("\n[store]\nbusy_timeout_ms = 200\n")
        busy = dos_run("lease-lane", "acquire", "--json", "--lane", "tests", "--owner", "impatient")
        assert busy.code == 75
        assert busy.json()["outcome"] == "STORE_BUSY"
        workspace.set_toml("\n[store]\nbusy_timeout_ms = 60000\n")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    started = time.monotonic()
    after = dos_proc("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "next")
    assert after.code == 0, after.err
    assert time.monotonic() - started < 30
    config = workspace.config()
    assert sorted(lease.holder for lease in lane_lease.live_leases(config)) == \
        ["before", "next"]
    assert "victim" not in {record.holder for record in tail(config, 0)}
    report = verify(config)
    assert report.ok, report.to_dict()
