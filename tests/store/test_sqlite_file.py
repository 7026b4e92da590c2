"""The embedded SQLite store: WAL file, creation races, and every way a file can be
bad — each is reported as StoreError and the file is left byte-for-byte alone."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from dos.admission.lease import Lease
from dos.config import load_workspace_config
from dos.errors import StoreError
from dos.store import open_store, store_for, store_url
from dos.store.journal import JournalEntry
from dos.store.migrations import SQLITE_TRIGGERS, latest_version


def _filled_store(tmp_path: Path) -> Path:
    path = tmp_path / ".dos" / "dos.db"
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True) as tx:
        for index in range(40):
            tx.insert_lease(Lease(lease_id=0, lane=f"l{index}", tree=("x/**",), holder="A"))
            tx.append(JournalEntry("SPAWN", lane=f"l{index}", payload={"pad": "x" * 500}))
    store.close()
    assert not path.with_name("dos.db-wal").exists()
    return path


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 7])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbage_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(b"this is not sqlite at all" + data[25:])


def _garbage_schema_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:1000] = b"\xa5" * 900
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _empty, _garbage_header, _garbage_schema_page])
def test_damaged_file_is_an_error_and_is_left_untouched(
        tmp_path: Path, damage: Callable[[Path], None]) -> None:
    path = _filled_store(tmp_path)
    damage(path)
    before = path.read_bytes()
    for write in (True, False):
        store = open_store(f"sqlite:///{path}")
        with pytest.raises(StoreError) as caught, store.transaction(write=write) as tx:
            tx.unreleased_leases()
        store.close()
        assert caught.value.exit_code == 74
        assert "left the file as it is" in caught.value.hint
    assert path.read_bytes() == before


def test_store_from_a_newer_dos_is_refused_not_downgraded(tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    raw.close()
    store = open_store(f"sqlite:///{path}")
    with pytest.raises(StoreError, match="schema version 99") as caught:
        store.transaction(write=True).__enter__()
    assert "upgrade dos" in caught.value.hint
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (99,)
    raw.close()


def test_foreign_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE notes (body TEXT)")
    raw.close()
    with pytest.raises(StoreError, match="not a dos store"):
        open_store(f"sqlite:///{path}").transaction(write=True).__enter__()


def test_unusable_paths_are_store_errors(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match="cannot be read"):
        open_store(f"sqlite:///{tmp_path / 'dir.db'}").transaction(write=True).__enter__()
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot create"):
        open_store(f"sqlite:///{tmp_path / 'file' / 'dos.db'}").transaction(
            write=True).__enter__()


def test_new_store_is_wal_and_journal_rejects_update_and_delete(tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    header = path.read_bytes()[:100]
    assert header[18] == 2
    assert header[19] == 2
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE journal SET lane = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM journal WHERE seq = 1")
    raw.close()


def test_concurrent_first_writes_create_one_store(tmp_path: Path) -> None:
    path = tmp_path / "ws" / ".dos" / "dos.db"
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def first_write(index: int) -> None:
        store = open_store(f"sqlite:///{path}")
        try:
            barrier.wait()
            with store.transaction(write=True) as tx:
                tx.append(JournalEntry("SPAWN", lane=str(index)))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=first_write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in path.parent.iterdir() if "init" in p.name) == []
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        assert tx.journal_count() == 8
    store.close()


def test_urls_resolve_and_unknown_backends_are_clear(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_workspace_config(tmp_path)
    assert store_url(config) == f"sqlite:///{tmp_path.resolve() / '.dos' / 'dos.db'}"
    relative = open_store("sqlite:///sub/x.db", root=tmp_path)
    assert getattr(relative, "path") == tmp_path / "sub" / "x.db"  # noqa: B009 - backend attr
    monkeypatch.setenv("DOS_STORE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert store_for(config).url.endswith("env.db")
    for url, message in (("mysql://x", "unknown scheme"), ("sqlite:///", "names no file")):
        with pytest.raises(StoreError, match=message):
            open_store(url)


def test_an_older_store_is_migrated_in_place(tmp_path: Path) -> None:
    path = _filled_store(tmp_path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DROP INDEX journal_ts")
        raw.execute("DROP INDEX journal_op_seq")
        raw.execute("ALTER TABLE leases DROP COLUMN start_sha")
        raw.execute("UPDATE schema_version SET version = 1")
    raw.close()
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        assert [r.seq for r in tx.journal_records(since_ms=0, limit=2)] == [1, 2]
        assert tx.journal_count() == 40
    store.close()
    raw = sqlite3.connect(path)
    indexes = {row[0] for row in raw.execute("SELECT name FROM sqlite_master "
                                             "WHERE type = 'index'")}
    assert raw.execute("SELECT version FROM schema_version").fetchone() == (latest_version(),)
    columns = {row[1] for row in raw.execute("PRAGMA table_info(leases)")}
    raw.close()
    assert {"journal_ts", "journal_op_seq", "journal_run", "journal_lease"} <= indexes
    assert "start_sha" in columns


def test_the_schema_has_exactly_the_append_only_triggers_the_check_expects(
        tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN"))
    store.close()
    raw = sqlite3.connect(tmp_path / "fresh.db")
    triggers = set(raw.execute("SELECT tbl_name, name FROM sqlite_master "
                               "WHERE type = 'trigger'").fetchall())
    raw.close()
    assert triggers == {(table, name) for table, names in SQLITE_TRIGGERS.items()
                        for name in names}


@pytest.mark.parametrize("thorough", [True, False])
def test_a_dropped_append_only_trigger_is_damage_even_without_quick_check(
        tmp_path: Path, thorough: bool) -> None:
    """A journal whose guard was dropped can be rewritten without a trace in the rows:
    the check names the trigger, cheaply (no page scan needed)."""
    path = _filled_store(tmp_path)
    store = open_store(f"sqlite:///{path}")
    assert store.integrity_problems(thorough=thorough) == []
    store.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER journal_no_update")
    raw.commit()
    raw.close()
    store = open_store(f"sqlite:///{path}")
    assert store.integrity_problems(thorough=thorough) == [
        "trigger journal_no_update on journal is missing: journal is no longer append-only"]
    store.close()
