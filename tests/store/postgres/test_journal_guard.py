"""The journal on PostgreSQL is append-only (a trigger refuses UPDATE, DELETE and
TRUNCATE), compactable only behind an anchor, and tamper-evident when the trigger
is gone; the schema is versioned and a newer one is refused."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import write_workspace

from dos.errors import EXIT_STORE_UNREADABLE, StoreError
from dos.store import open_store
from dos.store.journal import JournalEntry
from dos.store.postgres_schema import latest_version

pytestmark = pytest.mark.postgres

_DAY_MS = 86_400_000


def _store_with_records(url: str, workspace_id: str, count: int = 3) -> None:
    store = open_store(url, workspace_id=workspace_id)
    with store.transaction(write=True) as tx:
        for index in range(count):
            tx.append(JournalEntry("SPAWN", lane=f"l{index}"))
    store.close()


@pytest.mark.parametrize("statement", [
    "UPDATE dos_journal SET op = 'HALT' WHERE workspace = %s",
    "DELETE FROM dos_journal WHERE workspace = %s",
    "UPDATE dos_journal_anchor SET hash = 'x' WHERE workspace = %s",
    "DELETE FROM dos_journal_anchor WHERE workspace = %s",
])
def test_update_and_delete_are_refused(postgres_url: str, workspace_id: str,
                                       statement: str) -> None:
    _store_with_records(postgres_url, workspace_id)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        if "anchor" in statement:
            conn.execute("INSERT INTO dos_journal_anchor VALUES (%s, 0, 'h', 0, 0)",
                         (workspace_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(statement, (workspace_id,))
        assert conn.execute("SELECT count(*), min(op) FROM dos_journal WHERE workspace = %s",
                            (workspace_id,)).fetchone() == (3, "SPAWN")


def test_truncate_is_refused(private_schema_url: str) -> None:
    _store_with_records(private_schema_url, "ws")
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        for table in ("dos_journal", "dos_journal_anchor"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="TRUNCATE"):
                conn.execute(f"TRUNCATE {table}")


def test_the_compaction_setting_only_drops_what_an_anchor_covers(postgres_url: str,
                                                                 workspace_id: str) -> None:
    _store_with_records(postgres_url, workspace_id)
    with psycopg.connect(postgres_url, autocommit=True) as conn, conn.transaction():
        conn.execute("SET LOCAL dos.allow_compact = 'on'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM dos_journal WHERE workspace = %s AND seq = 3",
                         (workspace_id,))


def test_compact_and_verify_through_the_cli(tmp_path: Path, postgres_url: str,
                                            workspace_id: str) -> None:
    workspace = write_workspace(tmp_path / "ws", postgres_url, workspace_id)
    old = "1000000000000"
    for owner in ("A", "B"):
        assert workspace.run("lease-lane", "acquire", "--lane", "docs", "--owner", owner,
                              DOS_TEST_CLOCK_MS=old).code in (0, 1)
    assert workspace.run("lease-lane", "release", "--lane", "docs", "--owner", "A",
                          DOS_TEST_CLOCK_MS=old).code == 0
    later = str(int(old) + 40 * _DAY_MS)
    ran = workspace.run("journal", "compact", DOS_TEST_CLOCK_MS=later)
    assert ran.code == 0, ran
    assert workspace.sql("SELECT count(*) FROM dos_journal WHERE workspace = %s",
                         workspace_id) == [(1,)]  # only the COMPACT record is left
    ran = workspace.run("journal", "verify", DOS_TEST_CLOCK_MS=later)
    assert ran.code == 0, ran.out + ran.err


def test_a_disabled_trigger_and_a_rewritten_record_are_reported(tmp_path: Path,
                                                                private_schema_url: str) -> None:
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-tamper")
    assert workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    assert workspace.run("journal", "verify").code == 0
    workspace.sql("ALTER TABLE dos_journal DISABLE TRIGGER dos_journal_append_only")
    workspace.sql("UPDATE dos_journal SET holder = 'mallory'")
    ran = workspace.run("journal", "verify")
    assert ran.code == 1
    assert "dos_journal_append_only" in ran.out
    assert "seq 1 was altered" in ran.out


def test_migrate_creates_the_schema_once_and_a_newer_schema_is_refused(
        tmp_path: Path, private_schema_url: str) -> None:
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-migrate")
    for _ in range(2):
        ran = workspace.run("store", "migrate", "--json")
        assert ran.code == 0
        assert ran.json()["schema_version"] == latest_version()
    assert workspace.sql("SELECT version FROM dos_schema") == [(latest_version(),)]
    workspace.sql("UPDATE dos_schema SET version = 99")
    store = open_store(private_schema_url, workspace_id="ws-migrate")
    with pytest.raises(StoreError, match="schema version 99") as caught, \
            store.transaction(write=True):
        pass
    store.close()
    assert caught.value.exit_code == EXIT_STORE_UNREADABLE
    assert "upgrade dos" in caught.value.hint
    ran = workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert ran.code == EXIT_STORE_UNREADABLE


def test_concurrent_first_writers_create_the_schema_once(private_schema_url: str) -> None:
    writers = 4
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []

    def first_write(index: int) -> None:
        store = open_store(private_schema_url, workspace_id=f"ws-{index}")
        try:
            barrier.wait(10)
            with store.transaction(write=True) as tx:
                tx.append(JournalEntry("SPAWN"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=first_write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM dos_schema").fetchall() == \
            [(latest_version(),)]
        assert conn.execute("SELECT count(*) FROM dos_journal").fetchone() == (writers,)
