"""Round trips to the server per transaction and per short verb, on either client: a new
connection goes straight to its first transaction (whose opening statement reads the
schema version and the workspace's row too), and every way that statement cannot answer
ends exactly as the careful checks it replaced did."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import PgWorkspace, write_workspace

from dos.errors import EXIT_STORE_BUSY, EXIT_STORE_UNREADABLE, StoreBusyError, StoreError
from dos.record.verdict_journal import journal
from dos.store import open_store, postgres_conn
from dos.store.journal import JournalEntry
from dos.store.pgwire.connection import Connection
from dos.store.postgres_driver import driver
from dos.store.postgres_schema import latest_version
from dos.store.urls import redact_url
from dos.store.verdicts import VerdictEntry

pytestmark = pytest.mark.postgres

_WIRE = driver() != "psycopg"


class Trips:
    """What the store sends, one entry per round trip: the wire client's exchanges, or
    psycopg's executes (psycopg runs ``execute_later`` at once, a round trip of its own)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[str] = []
        if _WIRE:
            exchange = Connection._exchange

            def exchanged(conn: Connection, request: bytes) -> object:
                self.sent.append(request[:400].decode("utf-8", "replace"))
                return exchange(conn, request)

            monkeypatch.setattr(Connection, "_exchange", exchanged)
            return
        from dos.store.postgres_psycopg import PsycopgConnection

        execute = PsycopgConnection.execute

        def executed(conn: PsycopgConnection, query: str, params: object = None) -> object:
            self.sent.append(query[:400])
            return execute(conn, query, params)  # type: ignore[arg-type]

        monkeypatch.setattr(PsycopgConnection, "execute", executed)

    def __len__(self) -> int:
        return len(self.sent)

    def count(self, *, wire: int, later: int = 0) -> int:
        """The round trips expected: ``wire`` on the wire client; psycopg pays one more
        for each of the ``later`` statements the wire client sends with the next one."""
        return wire if _WIRE else wire + later


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[Trips]:
    postgres_conn._close_idle()  # every store opens a new connection, as a new process does
    yield Trips(monkeypatch)
    postgres_conn._close_idle()


def _made(url: str, workspace: str) -> None:
    """The workspace's store, made by one write (its connection not kept)."""
    store = open_store(url, workspace_id=workspace)
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN"))
    store.close()
    postgres_conn._close_idle()


def _schema_exists(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass('dos_schema') IS NOT NULL").fetchone()
    return bool(row and row[0])


def _set_version(url: str, version: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE dos_schema SET version = %s", (version,))


# the common case: a new connection, the schema current, the workspace there


def test_a_read_on_a_new_connection_is_its_transaction_alone(
        postgres_url: str, workspace_id: str, trips: Trips) -> None:
    _made(postgres_url, workspace_id)
    trips.sent.clear()
    store = open_store(postgres_url, workspace_id=workspace_id)
    with store.transaction_if_exists(write=False) as tx:
        assert tx is not None
        assert [record.op for record in tx.journal_records()] == ["SPAWN"]
    store.close()
    assert len(trips) == 3, trips.sent  # BEGIN with the checks, the read, COMMIT
    assert "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" in trips.sent[0]


def test_a_verdict_append_is_three_round_trips_and_not_durable(
        postgres_url: str, workspace_id: str, trips: Trips) -> None:
    _made(postgres_url, workspace_id)
    store = open_store(postgres_url, workspace_id=workspace_id)
    shipped = VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli", subject="AUTH1")
    assert journal([shipped], store=store) == 1  # the first: its head is the anchor's
    postgres_conn._close_idle()
    trips.sent.clear()
    assert journal([shipped], store=store) == 1
    # BEGIN (synchronous_commit off in it), the verdict head, the INSERT with the COMMIT
    assert len(trips) == trips.count(wire=3, later=1), trips.sent
    assert "synchronous_commit = off" in (trips.sent[0] if _WIRE else "".join(trips.sent))
    with store.transaction(write=False) as tx:
        assert [record.seq for record in tx.verdict_records()] == [1, 2]
    store.close()


@pytest.mark.parametrize(("durable", "expected"), [(True, "on"), (False, "off")])
def test_a_write_that_need_not_be_durable_says_so_as_it_begins(
        postgres_url: str, workspace_id: str, trips: Trips, durable: bool,
        expected: str) -> None:
    _made(postgres_url, workspace_id)
    trips.sent.clear()
    store = open_store(postgres_url, workspace_id=workspace_id)
    with store.transaction(write=True, durable=durable) as tx:
        assert tx._conn.execute("SHOW synchronous_commit").fetchone() == (expected,)
        assert len(trips) == 2, trips.sent  # the opening statement, then SHOW
    store.close()


def test_an_append_travels_with_the_commit(postgres_url: str, workspace_id: str,
                                          trips: Trips) -> None:
    _made(postgres_url, workspace_id)
    trips.sent.clear()
    store = open_store(postgres_url, workspace_id=workspace_id)
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN", lane="a"))  # the head read; the INSERT waits
        tx.append(JournalEntry("SPAWN", lane="b"))  # its head read sees the first
    store.close()
    assert len(trips) == trips.count(wire=4, later=2), trips.sent
    with store.transaction(write=False) as tx:
        records = tx.journal_records()
    store.close()
    assert [(record.seq, record.lane) for record in records] == [(1, ""), (2, "a"), (3, "b")]
    assert records[2].prev_hash == records[1].hash


# what the opening statement cannot answer alone


def test_no_schema_reads_nothing_creates_nothing_and_says_so(
        private_schema_url: str, trips: Trips) -> None:
    store = open_store(private_schema_url, workspace_id="ws-empty")
    for write in (False, True):
        with store.transaction_if_exists(write=write) as tx:
            assert tx is None
    with pytest.raises(StoreError) as caught:
        store.transaction(write=False).__enter__()
    assert caught.value.message == ("there is no store for workspace 'ws-empty' in "
                                    f"{redact_url(private_schema_url)} yet")
    assert not store.exists()
    store.close()
    assert not _schema_exists(private_schema_url)
    # each: the opening statement (refused: no table), its ROLLBACK, the careful check
    assert len(trips) == 3 * 3 + 1, trips.sent


def test_no_schema_is_made_by_the_first_write(private_schema_url: str, trips: Trips) -> None:
    store = open_store(private_schema_url, workspace_id="ws-first")
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN"))
    store.close()
    assert _schema_exists(private_schema_url)
    with store.transaction_if_exists(write=False) as tx:
        assert tx is not None
        assert tx.journal_count() == 1
    store.close()


def test_a_missing_workspace_row_reads_nothing_and_creates_nothing(
        postgres_url: str, workspace_id: str, trips: Trips) -> None:
    _made(postgres_url, "another-" + workspace_id)
    trips.sent.clear()
    store = open_store(postgres_url, workspace_id=workspace_id)
    for write in (False, True):
        with store.transaction_if_exists(write=write) as tx:
            assert tx is None
    assert len(trips) == 2 + 2, trips.sent  # each: the opening statement and its ROLLBACK
    with pytest.raises(StoreError, match=f"there is no store for workspace '{workspace_id}'"):
        store.transaction(write=False).__enter__()
    assert not store.exists()
    store.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM dos_workspaces WHERE workspace = %s",
                            (workspace_id,)).fetchone() == (0,)


def test_the_first_write_creates_the_workspace_even_if_it_fails(
        postgres_url: str, workspace_id: str, trips: Trips) -> None:
    _made(postgres_url, "another-" + workspace_id)
    trips.sent.clear()
    store = open_store(postgres_url, workspace_id=workspace_id)

    def write_then_fail() -> None:
        with store.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN"))
            raise KeyError

    with pytest.raises(KeyError):
        write_then_fail()
    store.close()
    fresh = open_store(postgres_url, workspace_id=workspace_id)
    assert fresh.exists()
    with fresh.transaction(write=False) as tx:
        assert tx.journal_count() == 0
    fresh.close()


def test_an_old_schema_is_upgraded_by_a_read(private_schema_url: str, trips: Trips) -> None:
    _made(private_schema_url, "ws-old")
    trips.sent.clear()
    _set_version(private_schema_url, latest_version() - 1)
    store = open_store(private_schema_url, workspace_id="ws-old")
    with store.transaction_if_exists(write=False) as tx:
        assert tx is not None
        assert tx.journal_count() == 1
    store.close()
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM dos_schema").fetchone() == (latest_version(),)


@pytest.mark.parametrize("write", [False, True])
def test_a_newer_schema_is_refused_as_before(private_schema_url: str, trips: Trips,
                                             write: bool) -> None:
    _made(private_schema_url, "ws-new")
    trips.sent.clear()
    _set_version(private_schema_url, 99)
    store = open_store(private_schema_url, workspace_id="ws-new")
    with pytest.raises(StoreError) as caught, store.transaction_if_exists(write=write):
        pass
    assert caught.value.message == (f"the store {redact_url(private_schema_url)} has schema "
                                     f"version 99; this dos knows versions up to "
                                     f"{latest_version()}")
    assert caught.value.hint == "upgrade dos (pip install -U dispatch-os)"
    assert caught.value.exit_code == EXIT_STORE_UNREADABLE
    store.close()
    assert postgres_conn.take(private_schema_url) is None  # nothing unchecked was kept


@pytest.mark.parametrize(("version", "words"), [
    (99, "has schema version 99; this dos knows versions up to"),
    (latest_version() - 1, "changed under this connection"),
])
def test_a_kept_connection_notices_a_schema_changed_under_it(
        private_schema_url: str, trips: Trips, version: int, words: str) -> None:
    _made(private_schema_url, "ws-kept")
    store = open_store(private_schema_url, workspace_id="ws-kept")
    with store.transaction(write=False):
        pass
    _set_version(private_schema_url, version)
    with pytest.raises(StoreError, match=words), store.transaction(write=False):
        pass
    # dropped: the next call's new connection refuses the newer schema, or upgrades
    # the older one, the careful way
    if version > latest_version():
        with pytest.raises(StoreError, match="has schema version 99"), \
                store.transaction(write=False):
            pass
    else:
        with store.transaction(write=False) as tx:
            assert tx.journal_count() == 1
    store.close()


def _hold_lock(url: str, workspace: str, held: threading.Event,
               release: threading.Event) -> None:
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (workspace,))
        held.set()
        release.wait(30)


def test_a_busy_workspace_on_a_new_connection_waits_once(
        postgres_url: str, workspace_id: str, trips: Trips) -> None:
    _made(postgres_url, workspace_id)
    trips.sent.clear()
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock,
                              args=(postgres_url, workspace_id, held, release))
    holder.start()
    try:
        assert held.wait(10)
        store = open_store(postgres_url, workspace_id=workspace_id, busy_timeout_ms=1000)
        started = time.monotonic()
        with pytest.raises(StoreBusyError) as caught, store.transaction(write=True):
            pass
        waited = time.monotonic() - started
        store.close()
    finally:
        release.set()
        holder.join()
    assert caught.value.message == (
        f"workspace {workspace_id!r} stayed locked by another session in "
        f"{redact_url(postgres_url)} for more than 1000 ms")
    assert caught.value.exit_code == EXIT_STORE_BUSY
    assert 0.95 < waited < 1.9, waited  # one lock wait, not a second one the careful way
    assert postgres_conn.take(postgres_url) is None  # nothing unchecked was kept


def test_a_dead_server_is_unreachable_as_before(tmp_path: Path, trips: Trips) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://dos:pw@127.0.0.1:{port}/test"
    store = open_store(url, workspace_id="ws-down")
    for write in (False, True):
        with pytest.raises(StoreError) as caught, store.transaction_if_exists(write=write):
            pass
        assert caught.value.message.startswith(
            f"the PostgreSQL store {redact_url(url)} cannot be reached: ")
        assert caught.value.exit_code == EXIT_STORE_UNREADABLE
    store.close()
    assert len(trips) == 0


# the short verbs, each a new process: its round trips (the answers are the same)


@pytest.fixture
def verbs_ws(tmp_path: Path, postgres_url: str, workspace_id: str) -> PgWorkspace:
    workspace = write_workspace(tmp_path / "ws", postgres_url, workspace_id)
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(workspace.path)], check=True)
    subprocess.run(["git", *identity, "-C", str(workspace.path), "add", "dos.toml"], check=True)
    subprocess.run(["git", *identity, "-C", str(workspace.path), "commit", "-q", "-m",
                    "AUTH1: ship it"], check=True)
    assert workspace.run("lease-lane", "acquire", "--lane", "docs", "--owner", "setup").code == 0
    assert workspace.run("lease-lane", "release", "--lane", "docs", "--owner", "setup").code == 0
    return workspace


def test_the_short_verbs_round_trips(verbs_ws: PgWorkspace, trips: Trips) -> None:
    minted = verbs_ws.run("run-id", "mint", "t")
    run_id = minted.out.split()[0]
    verbs = {  # wire round trips, and statements the wire client sends with the next one
        "arbitrate": (["arbitrate", "--lane", "api"], 6, 1),
        "acquire": (["lease-lane", "acquire", "--lane", "api", "--owner", "t"], 9, 2),
        "renew": (["lease-lane", "acquire", "--lane", "api", "--owner", "t"], 7, 3),
        "heartbeat": (["lease-lane", "heartbeat", "--lane", "api", "--owner", "t"], 4, 2),
        "release": (["lease-lane", "release", "--lane", "api", "--owner", "t"], 5, 1),
        "verify": (["verify", "AUTH", "AUTH1"], 3, 1),
        "status": (["status", run_id, "--start-sha", "HEAD"], 13, 1),
    }
    for name, (argv, wire, later) in verbs.items():
        postgres_conn._close_idle()
        before = len(trips)
        ran = verbs_ws.run(*argv)
        assert ran.code == 0, (name, ran)
        assert len(trips) - before == trips.count(wire=wire, later=later), \
            (name, trips.sent[before:])


_MODULES_PROBE = """\
import sys
from dos.cli import main
code = main()
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


def test_the_short_verbs_load_no_threading_contextlib_or_math(verbs_ws: PgWorkspace) -> None:
    """The wire client's verbs start as light as SQLite's: the connection registry's lock
    is _thread's, transactions are plain with-blocks, the connect timeout is integer
    arithmetic."""
    unused = {"threading", "contextlib", "math", "psycopg", "subprocess"}
    env = {**os.environ, "DOS_PG_DRIVER": "wire"}
    for argv in (["arbitrate", "--lane", "api"],
                 ["lease-lane", "acquire", "--lane", "api", "--owner", "t"],
                 ["lease-lane", "release", "--lane", "api", "--owner", "t"]):
        done = subprocess.run([sys.executable, "-c", _MODULES_PROBE, *argv], env=env,
                              cwd=verbs_ws.path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (argv, done.stderr)
        loaded = set(done.stderr.rpartition("\nMODULES ")[2].split())
        assert "dos.store.pgwire.connection" in loaded  # the probe saw the store at all
        assert sorted(loaded & unused) == [], argv
