"""Item 12: PostgreSQL reads honour [store] busy_timeout_ms. A read (or write) blocked
by a lock another session holds ends with exit 75 (STORE_BUSY), never a hang: each
transaction sets lock_timeout and statement_timeout, and so does each new connection,
for what runs outside a transaction (the schema check, a migration's lock)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import PgWorkspace, write_workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.errors import EXIT_STORE_BUSY
from dos.store.postgres_schema import latest_version

pytestmark = pytest.mark.postgres

_BUSY = "busy_timeout_ms = 300\n"


@contextmanager
def _held(url: str, *statements: str) -> Iterator[None]:
    """A second session that runs ``statements`` in a transaction and keeps it open
    (and so its locks) until the block ends."""
    held, done = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def hold() -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
                for statement in statements:
                    conn.execute(statement)
                held.set()
                done.wait(60)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failed.append(exc)
            held.set()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        assert not failed, failed
        yield
    finally:
        done.set()
        thread.join()


@pytest.fixture
def busy_ws(tmp_path: Path, postgres_url: str, workspace_id: str) -> PgWorkspace:
    workspace = write_workspace(tmp_path / "ws", postgres_url, workspace_id, _BUSY)
    assert lane_lease.acquire(workspace.config(), LeaseRequest(lane="src"),
                              owner="A").acquired
    return workspace


def _timed(run: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    result = run()
    return result, time.monotonic() - started


@pytest.mark.parametrize(("table", "verb"), [
    ("dos_leases", ("lease-lane", "live")),
    ("dos_journal", ("journal", "tail", "5")),
    ("dos_journal", ("journal", "verify")),
])
def test_a_read_blocked_by_a_table_lock_is_store_busy_not_a_hang(
        busy_ws: PgWorkspace, table: str, verb: tuple[str, ...]) -> None:
    with _held(busy_ws.url, f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"):
        ran, seconds = _timed(lambda: busy_ws.proc(*verb))
    assert ran.code == EXIT_STORE_BUSY, ran  # type: ignore[attr-defined]
    assert "busy_timeout_ms" in ran.err  # type: ignore[attr-defined]
    assert "Traceback" not in ran.err  # type: ignore[attr-defined]
    assert seconds < 20
    assert busy_ws.proc(*verb).code == 0  # the lock gone, the same read answers


def test_a_row_lock_makes_a_heartbeat_busy(busy_ws: PgWorkspace) -> None:
    with _held(busy_ws.url, "SELECT 1 FROM dos_leases WHERE workspace = "  # noqa: S608
               f"'{busy_ws.workspace_id}' FOR UPDATE"):
        ran = busy_ws.proc("lease-lane", "heartbeat", "--lane", "src", "--owner", "A")
    assert ran.code == EXIT_STORE_BUSY, ran
    assert busy_ws.proc("lease-lane", "heartbeat", "--lane", "src", "--owner", "A").code == 0


def test_a_read_waiting_for_a_migration_lock_is_store_busy(
        tmp_path: Path, private_schema_url: str) -> None:
    """A read that finds an older schema must migrate it first, and waits for the
    session that is migrating it; that wait is bounded too."""
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-migrating", _BUSY)
    assert workspace.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        conn.execute("UPDATE dos_schema SET version = %s", (latest_version() - 1,))
    with _held(private_schema_url,
               "SELECT pg_advisory_lock(hashtextextended('dos schema migration', 0))"):
        ran = workspace.proc("journal", "tail", "5")
    assert ran.code == EXIT_STORE_BUSY, ran
    assert workspace.proc("journal", "tail", "5").code == 0  # and then it migrates
