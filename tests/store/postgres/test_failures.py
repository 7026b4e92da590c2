"""The server down, gone mid-transaction, or restarted: admission refuses with
STORE_UNREADABLE (74), reads report the error, nothing is half-written, and the
next call reconnects."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import PgWorkspace, write_workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.errors import EXIT_STORE_BUSY, EXIT_STORE_UNREADABLE, StoreError
from dos.store import open_store, store_for
from dos.store.journal import JournalEntry

pytestmark = pytest.mark.postgres


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def down(tmp_path: Path) -> PgWorkspace:
    """A workspace whose store URL (with a password) points at a closed port."""
    url = f"postgresql://dos:s3cr3t-pw@127.0.0.1:{_closed_port()}/test"
    return write_workspace(tmp_path / "down", url, "ws-down")


def test_admission_against_a_dead_server_exits_74_naming_the_url(down: PgWorkspace) -> None:
    ran = down.proc("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "A")
    assert ran.code == EXIT_STORE_UNREADABLE
    verdict = ran.json()
    assert verdict["outcome"] == "STORE_UNREADABLE"
    assert not verdict["journaled"]
    assert verdict.get("lease_id") is None
    shown = down.url.replace("s3cr3t-pw", "***")
    assert shown in verdict["reason"]
    assert "s3cr3t-pw" not in ran.out + ran.err


@pytest.mark.parametrize("args", [
    ("lease-lane", "live"), ("journal", "verify"), ("journal", "tail", "5"),
    ("store", "status"),
])
def test_reads_report_the_error_never_an_empty_answer(down: PgWorkspace,
                                                      args: tuple[str, ...]) -> None:
    ran = down.proc(*args)
    assert ran.code == EXIT_STORE_UNREADABLE, ran
    assert "[]" not in ran.out
    assert "s3cr3t-pw" not in ran.out + ran.err


def test_doctor_shows_the_store_unreachable(down: PgWorkspace) -> None:
    ran = down.proc("doctor", "--json")
    assert ran.code == 1  # an unreachable store is a problem doctor fails on
    assert [item["check"] for item in ran.json()["problems"]] == ["store"]
    store = ran.json()["store"]
    assert store["kind"] == "postgresql"
    assert store["reachable"] is False
    assert "127.0.0.1" in store["error"]
    assert "s3cr3t-pw" not in ran.out


def _backend_of(store: object) -> int:
    conn = store._conn  # type: ignore[attr-defined]
    assert conn is not None
    return int(conn.backend_pid)


def _terminate(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)


def test_connection_killed_mid_transaction_leaves_nothing_and_next_call_reconnects(
        postgres_url: str, workspace_id: str) -> None:
    store = open_store(postgres_url, workspace_id=workspace_id)
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN", lane="src"))

    def write_while_the_server_drops_us() -> None:
        with store.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN", lane="lost"))
            _terminate(postgres_url, _backend_of(store))
            tx.set_counter("never", 1)

    with pytest.raises(StoreError, match="cannot be reached") as caught:
        write_while_the_server_drops_us()
    assert caught.value.exit_code == EXIT_STORE_UNREADABLE
    with store.transaction(write=False) as tx:  # a new connection, nothing half-written
        assert [record.lane for record in tx.journal_records()] == ["src"]
        assert tx.counter("never") is None
    store.close()


def test_a_server_restart_between_calls_is_invisible(pg_workspace: PgWorkspace) -> None:
    config = pg_workspace.config()
    assert lane_lease.acquire(config, LeaseRequest(lane="src"), owner="A").acquired
    kept = store_for(config)
    with kept.transaction(write=False):
        pass
    # Every server process serving this test's connections goes, as in a restart.
    killed = pg_workspace.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = %s", f"dos:{os.getpid()}")
    assert killed
    assert all(row == (True,) for row in killed)
    with kept.transaction(write=False) as tx:  # the dead kept connection is replaced
        assert [lease.lane for lease in tx.unreleased_leases()] == ["src"]
    kept.close()
    assert lane_lease.release(config, lane="src", owner="A").released


def test_a_held_workspace_lock_makes_admission_busy_not_granted(tmp_path: Path,
                                                                postgres_url: str,
                                                                workspace_id: str) -> None:
    workspace = write_workspace(tmp_path / "ws", postgres_url, workspace_id,
                                "busy_timeout_ms = 300\n")
    assert workspace.proc("store", "migrate").code == 0
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with psycopg.connect(postgres_url, autocommit=True) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                         (workspace_id,))
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        ran = workspace.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A")
        assert ran.code == EXIT_STORE_BUSY, ran
        assert "busy_timeout_ms" in ran.err
    finally:
        release.set()
        holder.join()
    assert lane_lease.live_leases(workspace.config()) == []
    ran = workspace.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert ran.code == 0, ran


def test_a_malformed_url_is_a_config_error(tmp_path: Path) -> None:
    workspace = write_workspace(tmp_path / "ws", "postgresql://u:hunter22@[broken",
                                "ws-bad")
    ran = workspace.proc("lease-lane", "live")
    assert ran.code == 2
    assert "malformed" in ran.err
    assert "hunter22" not in ran.err
