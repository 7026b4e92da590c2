"""The PostgreSQL session keeper against the real server: a lent session answers as the
server does, comes back reset (settings, temporary tables, advisory locks), is never
lent again after a client vanished mid-transaction (whose work the server rolls back),
refuses another store's clients (who then reach the server themselves), and a missing,
stale or untrusted socket means the server directly. `dos store keep` runs, refuses a
second keeper and a non-PostgreSQL store, and cleans up when stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import PgWorkspace, child_env, write_workspace

from dos.store.pg_keeper import Keeper
from dos.store.pg_keeper_path import keeper_socket, trusted_socket
from dos.store.pgwire import connect
from dos.store.pgwire.connection import Connection
from dos.store.pgwire.target import target_of
from dos.store.postgres_conn import connection_keywords


def _keywords(url: str, name: str = "") -> dict[str, str]:
    return connection_keywords(url, 5000, application_name=name)


@pytest.fixture
def keeper(postgres_url: str) -> Iterator[Keeper]:
    target = target_of(postgres_url, _keywords(postgres_url, "dos-keeper"), os.environ)
    kept = Keeper(target, keeper_socket(target), max_idle=2)
    kept.listen()
    stop = threading.Event()
    serving = threading.Thread(target=kept.serve, args=(stop,), daemon=True)
    serving.start()
    yield kept
    stop.set()
    serving.join(timeout=5)
    kept.close()


def _client(url: str) -> Connection:
    """dos's own client, as a dos process opens it (the keeper first, when there)."""
    return connect(url, _keywords(url), os.environ)


def _returned(keeper: Keeper, count: int = 1) -> None:
    """Wait until the keeper has reset and pooled the sessions its clients gave back
    (a client does not wait for that after its goodbye)."""
    deadline = time.monotonic() + 10
    while len(keeper._idle) < count:  # the pool is what is observed
        assert time.monotonic() < deadline, "the session never came back to the pool"
        time.sleep(0.01)


def _one(conn: Connection, sql: str) -> object:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_a_client_gets_a_lent_session_that_answers_as_the_server(
        keeper: Keeper, postgres_url: str) -> None:
    pids = []
    for _ in range(3):
        conn = _client(postgres_url)
        assert _one(conn, "SELECT 6 * 7") == 42
        pids.append(_one(conn, "SELECT pg_backend_pid()"))
        conn.close()
        _returned(keeper)
    assert keeper.lent == 3
    assert keeper.opened == 1
    assert len(set(pids)) == 1  # one warm server session served all three


def test_a_returned_session_is_reset(keeper: Keeper, postgres_url: str) -> None:
    first = _client(postgres_url)
    default = _one(first, "SHOW work_mem")
    first.execute("SET work_mem = '7MB'")
    first.execute("CREATE TEMP TABLE kept_scratch (x int)")
    first.execute("SELECT pg_advisory_lock(424242)")
    pid = _one(first, "SELECT pg_backend_pid()")
    first.close()
    _returned(keeper)
    second = _client(postgres_url)
    try:
        assert _one(second, "SELECT pg_backend_pid()") == pid
        assert _one(second, "SHOW work_mem") == default
        assert _one(second, "SELECT to_regclass('pg_temp.kept_scratch') IS NULL") is True
        with psycopg.connect(postgres_url, autocommit=True) as other:
            assert other.execute("SELECT pg_try_advisory_lock(424242)").fetchone() == (True,)
            other.execute("SELECT pg_advisory_unlock(424242)")
    finally:
        second.close()


def test_a_client_that_vanishes_mid_transaction_takes_its_session_along(
        keeper: Keeper, postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("CREATE TABLE IF NOT EXISTS kept_vanish (x int)")
        admin.execute("DELETE FROM kept_vanish")
    conn = _client(postgres_url)
    pid = _one(conn, "SELECT pg_backend_pid()")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO kept_vanish VALUES (1)")
    conn._session.sock.close()  # type: ignore[union-attr]  # gone, no goodbye
    deadline = time.monotonic() + 10
    while keeper.discarded < 1:
        assert time.monotonic() < deadline, "the vanished client's session was kept"
        time.sleep(0.01)
    assert keeper._idle == []
    after = _client(postgres_url)
    try:
        assert _one(after, "SELECT pg_backend_pid()") != pid
        assert _one(after, "SELECT count(*) FROM kept_vanish") == 0
    finally:
        after.close()
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("DROP TABLE kept_vanish")


def test_another_store_s_client_reaches_the_server_itself(
        keeper: Keeper, postgres_url: str) -> None:
    target = target_of(postgres_url, _keywords(postgres_url), os.environ)
    path = keeper_socket(target)
    other = dict(target.startup, options=target.startup["options"] + " -c work_mem=5MB")
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    raw.connect(path)
    from dos.store.pgwire import frames

    raw.sendall(frames.startup(other))
    reply = raw.recv(4096)
    raw.close()
    assert reply[:1] == b"E"
    assert b"another store" in reply
    assert keeper.lent == 0
    conn = _client(postgres_url)  # its own store: lent as usual
    conn.close()
    assert keeper.lent == 1


def test_garbage_on_the_socket_harms_nobody(keeper: Keeper, postgres_url: str) -> None:
    target = target_of(postgres_url, _keywords(postgres_url), os.environ)
    for junk in (b"\x00\x00\x00\x03", b"\xff\xff\xff\xff", b"\x00\x00\x00\x10GET / HTTP/1.1",
                 b"\x00\x00\x00\x08\x04\xd2\x16\x2f", b""):
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.settimeout(5)
        raw.connect(keeper_socket(target))
        raw.sendall(junk)
        raw.shutdown(socket.SHUT_WR)
        try:
            assert raw.recv(4096) in (b"", b"N")
        except ConnectionResetError:
            pass  # closed with the junk unread: the same answer
        finally:
            raw.close()
    conn = _client(postgres_url)
    assert _one(conn, "SELECT 1") == 1
    conn.close()


def test_no_keeper_a_stale_socket_or_an_open_directory_means_the_server(
        postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = target_of(postgres_url, _keywords(postgres_url), os.environ)
    path = Path(keeper_socket(target))
    assert trusted_socket(target) is None  # nothing there
    path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # bound, never listening: a keeper that died
    stale.close()
    assert trusted_socket(target) == str(path)
    conn = _client(postgres_url)
    assert _one(conn, "SELECT 1") == 1
    conn.close()
    path.parent.chmod(0o755)
    assert trusted_socket(target) is None  # others could have put a socket there
    path.parent.chmod(0o700)
    monkeypatch.setenv("DOS_NO_PG_KEEPER", "1")
    assert trusted_socket(target) is None
    path.unlink()


def _keep(ws: PgWorkspace, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(ws.path),
                             *args, "store", "keep"], env=child_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_dos_store_keep_lends_until_stopped(pg_workspace: PgWorkspace) -> None:
    keeping = _keep(pg_workspace, "--json")
    try:
        line = keeping.stdout.readline() if keeping.stdout else ""
        assert '"socket"' in line
        assert '"family": "store"' in line
        second = _keep(pg_workspace)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert "a keeper already serves" in err
        for step in ("acquire", "release"):
            assert pg_workspace.proc("lease-lane", step, "--lane", "src", "--owner", "K").code == 0
    finally:
        keeping.send_signal(signal.SIGTERM)
        keeping.communicate(timeout=30)
    assert keeping.returncode == 143
    socket_path = line.split('"socket": "')[1].split('"')[0]
    assert not Path(socket_path).exists()


def test_dos_store_keep_refuses_a_store_that_is_not_postgresql(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(tmp_path),
                           "store", "keep"], env=child_env(), capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert "is not PostgreSQL" in done.stderr


def test_dos_store_keep_on_an_unreachable_server_is_74(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path / "ws", "postgresql://postgres@127.0.0.1:9/none", "w")
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(ws.path),
                           "store", "keep"], env=child_env(), capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 74
    assert "cannot be reached" in done.stderr


class _Flaky:
    """A listening socket whose accept() fails with ``failures`` first."""

    def __init__(self, listener: socket.socket, failures: list[OSError]) -> None:
        self.listener, self.failures = listener, failures

    def __getattr__(self, name: str) -> object:
        return getattr(self.listener, name)

    def accept(self) -> tuple[socket.socket, object]:
        if self.failures:
            raise self.failures.pop()
        return self.listener.accept()


def test_a_moment_without_descriptors_does_not_stop_the_keeper(postgres_url: str) -> None:
    """accept() failing with EMFILE (descriptors short for a moment): the keeper waits
    and goes on accepting; any other failure ends it."""
    import errno

    target = target_of(postgres_url, _keywords(postgres_url, "dos-keeper"), os.environ)
    kept = Keeper(target, keeper_socket(target))
    kept.listen()
    listener = kept._listener
    assert listener is not None
    kept._listener = _Flaky(listener, [OSError(errno.EMFILE, "Too many open files")])  # type: ignore[assignment]
    stop = threading.Event()
    serving = threading.Thread(target=kept.serve, args=(stop,), daemon=True)
    serving.start()
    try:
        conn = _client(postgres_url)
        assert _one(conn, "SELECT 2") == 2
        conn.close()
        assert kept.lent == 1
    finally:
        stop.set()
        serving.join(timeout=5)
        kept._listener = listener
        kept.close()
    kept.listen()
    listener = kept._listener
    assert listener is not None
    kept._listener = _Flaky(listener, [OSError(errno.EBADF, "Bad file descriptor")])  # type: ignore[assignment]
    try:
        with pytest.raises(OSError, match="Bad file descriptor"):
            kept.serve(threading.Event())
    finally:
        kept._listener = listener
        kept.close()
