"""The dos process keeps one SQLite connection per store file between transactions — and
hands it out again only to the same file, idle, in the same thread; a program that
imports dos keeps nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests._support.git import GitRepo

from dos.admission.lease import Lease
from dos.store import kept_connections, open_store
from dos.store.journal import JournalEntry
from dos.store.transfer import erase_store


@pytest.fixture
def keeping(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(kept_connections, "_ON", [True])
    monkeypatch.setattr(kept_connections, "_KEPT", {})
    yield
    kept_connections.release()


def _write(path: Path, lane: str = "api") -> None:
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True) as tx:
        tx.insert_lease(Lease(lease_id=0, lane=lane, tree=("x/**",), holder="A"))
    store.close()


def _connection_of(path: Path, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    store = open_store(f"sqlite:///{path}", busy_timeout_ms=busy_timeout_ms)
    with store.transaction(write=False) as tx:
        assert tx is not None
    conn = store._conn
    assert conn is not None
    store.close()
    return conn


def test_a_library_keeps_nothing(tmp_path: Path) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    first = _connection_of(path)
    assert _connection_of(path) is not first
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")  # closed by its store, as always
    assert not path.with_name("dos.db-wal").exists()


def test_the_next_store_on_the_file_takes_the_kept_connection(
        tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    first = _connection_of(path)
    assert _connection_of(path) is first
    assert path.with_name("dos.db-wal").exists()  # open: the log waits for the end
    kept_connections.release()
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")
    assert not path.with_name("dos.db-wal").exists()  # checkpointed once, at the end


def test_an_erased_store_is_never_reached_through_a_kept_connection(
        tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path, lane="old")
    first = _connection_of(path)
    store = open_store(f"sqlite:///{path}")
    erase_store(store)
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")  # released before the files went
    _write(path, lane="new")
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        assert tx is not None
        assert [lease.lane for lease in tx.unreleased_leases()] == ["new"]
    store.close()


def test_a_connection_to_another_file_than_the_path_s_is_not_handed_out(
        tmp_path: Path, keeping: None) -> None:
    """The kept connection remembers the (device, inode) it opened; when the path names
    another file now, it is closed instead of handed out."""
    path = tmp_path / "dos.db"
    _write(path)
    first = _connection_of(path)
    conn, (device, inode), *rest = kept_connections._KEPT[str(path)]
    kept_connections._KEPT[str(path)] = (conn, (device, inode + 1), *rest)
    assert _connection_of(path) is not first
    with pytest.raises(sqlite3.ProgrammingError):
        first.execute("SELECT 1")


def test_a_connection_closed_mid_transaction_is_not_kept(
        tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    store = open_store(f"sqlite:///{path}")
    store.transaction(write=True).__enter__()
    conn = store._conn
    store.close()
    assert conn is not None
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    _write(path, lane="after")  # the file is not left locked


def test_another_thread_gets_its_own(tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    first = _connection_of(path)
    seen: list[sqlite3.Connection] = []
    worker = threading.Thread(target=lambda: seen.append(_connection_of(path)))
    worker.start()
    worker.join()
    assert seen
    assert seen[0] is not first


def test_the_taker_s_busy_timeout_applies(tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    conn = _connection_of(path, busy_timeout_ms=5000)
    store = open_store(f"sqlite:///{path}", busy_timeout_ms=250)
    with store.transaction(write=False) as tx:
        assert tx is not None
        assert store._conn is conn
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (250,)
    store.close()


def test_a_journal_entry_and_a_lease_both_land_through_one_connection(
        tmp_path: Path, keeping: None) -> None:
    path = tmp_path / "dos.db"
    _write(path)
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True, durable=False) as tx:
        tx.append(JournalEntry("SPAWN", lane="api", payload={}))
    store.close()
    kept_connections.release()
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT COUNT(*) FROM leases").fetchone() == (1,)
        assert check.execute("PRAGMA synchronous").fetchone() == (2,)  # per connection
    finally:
        check.close()


def test_the_dos_process_opens_its_store_once(
        git_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    """A lease-lane acquire writes its lease and journals its verdict through one
    connection: the store's log is created once (watched through the file's inode)."""
    repo = git_repo()
    repo.commit("start", {"src/api/a.py": "x\n"})
    (repo.path / "dos.toml").write_text(
        '[lanes]\nconcurrent = ["api"]\n[lanes.trees]\napi = ["src/api/**"]\n',
        encoding="utf-8")
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "sitecustomize.py").write_text(
        "import sqlite3, _sqlite3, atexit, os\n"
        "_real = _sqlite3.connect\n"
        "_count = [0]\n"
        "def _counting(*a, **k):\n"
        "    if 'dos.db' in str(a[0]):\n"
        "        _count[0] += 1\n"
        "    return _real(*a, **k)\n"
        "_sqlite3.connect = _counting\n"
        "sqlite3.connect = _counting\n"
        f"atexit.register(lambda: open({str(tmp_path / 'opens')!r}, 'w')"
        ".write(str(_count[0])))\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(probe)}
    for step in ("acquire", "release"):
        done = subprocess.run([sys.executable, "-m", "dos", "lease-lane", step, "--lane", "api",
                               "--owner", "t"], cwd=repo.path, env=env, capture_output=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        opens = int((tmp_path / "opens").read_text(encoding="utf-8"))
        assert opens == (2 if step == "acquire" else 1), step  # acquire: + the creation
    assert not (repo.path / ".dos" / "dos.db-wal").exists()
