"""The built-in client's pieces against the real server (and a scripted one where the
real server cannot misbehave): URLs read as libpq reads them, libpq's environment
defaults, what is left to psycopg, results, errors by SQLSTATE, transactions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.conninfo import conninfo_to_dict
from tests._support.fake_pg import Peer, fake_server

from dos.store import pgwire
from dos.store.pgwire import errors
from dos.store.pgwire.connection import Connection
from dos.store.pgwire.conninfo import parse_url
from dos.store.pgwire.params import placeholders
from dos.store.pgwire.target import target_of

pytestmark = pytest.mark.postgres


@settings(max_examples=400, deadline=None)
@given(st.text("ab:/@?&=%2F[],1x.", max_size=18), st.sampled_from(["postgresql://",
                                                                   "postgres://"]))
def test_a_url_reads_as_libpq_reads_it(tail: str, scheme: str) -> None:
    url = scheme + tail
    try:
        expected: object = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        expected = str(exc)
    except UnicodeDecodeError:  # psycopg decodes bad %-escapes unchecked: no answer to match
        return
    try:
        found: object = parse_url(url)
    except errors.ProgrammingError as exc:
        found = str(exc)
    assert found == expected


def test_placeholders_are_rewritten_as_psycopg_reads_them() -> None:
    assert placeholders("a = %s AND b LIKE '10%%' AND c = %s", 2) == \
        "a = $1 AND b LIKE '10%' AND c = $2"
    assert placeholders("x %", 0) == "x %"
    with pytest.raises(errors.ProgrammingError, match="1 placeholders but 2 parameters"):
        placeholders("%s", 2)
    with pytest.raises(errors.ProgrammingError, match="got '%d'"):
        placeholders("%d", 1)


def test_libpq_environment_defaults_fill_what_the_url_leaves_out() -> None:
    env = {"PGHOST": "/var/run/postgresql", "PGPORT": "5433", "PGUSER": "alice",
           "PGPASSWORD": "pw", "PGAPPNAME": "app", "PGCONNECT_TIMEOUT": "7",
           "PGSSLMODE": "disable", "PGOPTIONS": "-cwork_mem=4MB", "HOME": "/nowhere"}
    target = target_of("postgresql:///", {}, env)
    assert (target.host, target.port, target.password, target.sslmode, target.timeout_s) == \
        ("/var/run/postgresql", 5433, "pw", "disable", 7.0)
    assert target.startup == {"user": "alice", "database": "alice", "options": "-cwork_mem=4MB",
                              "application_name": "app", "client_encoding": "UTF8"}
    assert target.passfile == "/nowhere/.pgpass"
    mine = target_of("postgresql://bob@h:1/db?application_name=x", {"options": "-cy=1"}, env)
    assert (mine.host, mine.port, mine.startup["user"], mine.startup["database"]) == \
        ("h", 1, "bob", "db")
    assert (mine.startup["application_name"], mine.startup["options"]) == ("x", "-cy=1")


@pytest.mark.parametrize(("url", "env"), [
    ("postgresql://h/db?sslmode=require", {}),
    ("postgresql://h/db?ssl=true", {}),
    ("postgresql://h/db?service=prod", {}),
    ("postgresql://h/db?hostaddr=10.0.0.1", {}),
    ("postgresql://h1,h2/db", {}),
    ("postgresql://h/db?target_session_attrs=read-write", {}),
    ("postgresql://h/db?keepalives=1", {}),
    ("postgresql:///db", {}),  # the socket directory libpq was built with
    ("postgresql://h/db", {"PGSSLMODE": "verify-full"}),
    ("postgresql://h/db", {"PGSERVICE": "prod"}),
    ("postgresql://h/db", {"PGTZ": "UTC"}),
])
def test_what_only_psycopg_does_is_left_to_it(url: str, env: dict[str, str]) -> None:
    with pytest.raises(errors.Unsupported):
        target_of(url, {}, env)


def test_a_unix_socket_directory_is_reached(postgres_url: str) -> None:
    if not os.path.exists("/var/run/postgresql/.s.PGSQL.5432"):  # noqa: PTH110
        pytest.skip("the test server has no socket in /var/run/postgresql")
    database = urlsplit(postgres_url).path
    conn = pgwire.connect(f"postgresql://postgres@%2Fvar%2Frun%2Fpostgresql{database}", {}, {})
    assert conn.execute("SELECT inet_server_addr() IS NULL").fetchone() == (True,)
    conn.close()


def test_a_server_that_wants_tls_is_left_to_psycopg() -> None:
    def wants_tls(peer: Peer) -> None:
        peer.sock.recv(8)
        peer.sock.sendall(b"S")

    with fake_server(wants_tls) as port, pytest.raises(errors.Unsupported, match="TLS"):
        pgwire.connect(f"postgresql://u@127.0.0.1:{port}/db", {}, {})


@pytest.fixture
def conn(postgres_url: str) -> Iterator[Connection]:
    opened = pgwire.connect(postgres_url, {}, os.environ)
    yield opened
    opened.close()


def test_several_statements_and_their_results(conn: Connection) -> None:
    found = conn.execute("SELECT 1 AS a, 'x' AS b; SET lock_timeout = 100; SELECT 2")
    assert (found.description, found.fetchall(), found.rowcount) == (("a", "b"), [(1, "x")], 1)
    assert found.nextset()
    assert found.description is None
    with pytest.raises(errors.ProgrammingError, match="didn't produce records"):
        found.fetchone()
    assert found.nextset()
    assert found.fetchone() == (2,)
    assert found.nextset() is None


def test_errors_carry_the_sqlstate_and_leave_the_session_usable(
        conn: Connection, postgres_url: str) -> None:
    with pytest.raises(errors.QueryCanceled) as caught:
        conn.execute("SET statement_timeout = 50; SELECT pg_sleep(1)")
    assert caught.value.sqlstate == "57014"
    conn.execute("SET statement_timeout = 0; SET lock_timeout = 100")
    with psycopg.connect(postgres_url, autocommit=True) as other, other.transaction():
        other.execute("SELECT pg_advisory_xact_lock(4242)")
        with pytest.raises(errors.LockNotAvailable):
            conn.execute("BEGIN; SELECT pg_advisory_xact_lock(4242)")
        conn.execute("ROLLBACK")
    with pytest.raises(errors.ProgrammingError) as syntax:
        conn.execute("SELEKT 1")
    assert syntax.value.sqlstate == "42601"
    assert conn.idle
    assert conn.execute("SELECT %s::int + 1", (41,)).fetchone() == (42,)


def test_a_terminated_session_is_closed_and_broken(conn: Connection, postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", (conn.backend_pid,))
    with pytest.raises(errors.OperationalError):
        conn.execute("SELECT 1")
    assert conn.closed
    assert conn.broken


def test_a_failed_batch_or_block_leaves_nothing(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE t (a int PRIMARY KEY)")
    with pytest.raises(errors.IntegrityError), conn.transaction():
        conn.executemany("INSERT INTO t VALUES (%s)", [(1,), (2,), (1,)])

    def insert_then_fail() -> None:
        with conn.transaction():
            conn.execute("INSERT INTO t VALUES (%s)", (3,))
            raise KeyError

    with pytest.raises(KeyError):
        insert_then_fail()
    with conn.transaction():
        conn.executemany("INSERT INTO t VALUES (%s)", [(4,), (5,)])
    assert conn.execute("SELECT array_agg(a ORDER BY a) FROM t").fetchone() == ([4, 5],)
    assert conn.execute("DELETE FROM t").rowcount == 2


def test_a_long_batch_goes_out_in_step_and_fails_whole(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE many (a int PRIMARY KEY, b text)")
    rows = [(index, "x" * 50) for index in range(5000)]
    with pytest.raises(errors.IntegrityError), conn.transaction():
        conn.executemany("INSERT INTO many VALUES (%s, %s)", [*rows, (4321, "again")])
    assert conn.execute("SELECT count(*) FROM many").fetchone() == (0,)
    with conn.transaction():
        conn.executemany("INSERT INTO many VALUES (%s, %s)", rows)
    assert conn.execute("SELECT count(*), max(a) FROM many").fetchone() == (5000, 4999)


def test_a_connection_closed_by_its_owner_is_not_broken(conn: Connection) -> None:
    conn.close()
    assert conn.closed
    assert not conn.broken
    with pytest.raises(errors.InterfaceError, match="closed"):
        conn.execute("SELECT 1")


def _exchanges(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every request the wire client sends from now on, one per round trip."""
    sent: list[bytes] = []
    exchange = Connection._exchange

    def counted(self: Connection, request: bytes) -> object:
        sent.append(request)
        return exchange(self, request)

    monkeypatch.setattr(Connection, "_exchange", counted)
    return sent


def test_a_statement_executed_later_travels_with_the_next_one(
        conn: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    conn.execute("CREATE TEMP TABLE later (a int PRIMARY KEY)")
    sent = _exchanges(monkeypatch)
    conn.execute_later("INSERT INTO later VALUES (%s)", (1,))  # autocommit: at once
    assert len(sent) == 1
    conn.execute("BEGIN")
    conn.execute_later("INSERT INTO later VALUES (%s)", (2,))
    conn.execute_later("INSERT INTO later VALUES (%s)", (3,))
    assert len(sent) == 2  # queued inside the block
    assert conn.execute("SELECT array_agg(a ORDER BY a) FROM later").fetchone() == ([1, 2, 3],)
    assert len(sent) == 3  # both went out ahead of the SELECT, in one round trip
    conn.execute_later("DELETE FROM later WHERE a = %s", (3,))
    conn.execute("COMMIT")
    assert len(sent) == 4
    assert conn.idle
    assert conn.execute("SELECT array_agg(a ORDER BY a) FROM later").fetchone() == ([1, 2],)


def test_a_later_statements_error_is_raised_by_the_next_one(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE later (a int PRIMARY KEY)")
    conn.execute("INSERT INTO later VALUES (1)")
    conn.execute("BEGIN")
    conn.execute_later("INSERT INTO later VALUES (%s)", (1,))  # a duplicate
    conn.execute_later("INSERT INTO later VALUES (%s)", (2,))  # then refused: the block failed
    with pytest.raises(errors.IntegrityError) as caught:  # the first error, not "aborted"
        conn.execute("SELECT 1")
    assert caught.value.sqlstate == "23505"
    conn.execute("ROLLBACK")
    conn.execute("BEGIN")
    conn.execute_later("INSERT INTO later VALUES (%s)", (1,))
    with pytest.raises(errors.IntegrityError):
        conn.execute("COMMIT")  # the failed block ends as a rollback
    assert conn.idle
    assert conn.execute("SELECT array_agg(a) FROM later").fetchone() == ([1],)


def test_psycopg_runs_a_later_statement_at_once(postgres_url: str) -> None:
    from dos.store import postgres_psycopg

    conn = postgres_psycopg.connect(postgres_url, {})
    try:
        conn.execute("CREATE TEMP TABLE later (a int PRIMARY KEY)")
        conn.execute("BEGIN")
        conn.execute_later("INSERT INTO later VALUES (%s)", (1,))
        with pytest.raises(errors.IntegrityError):
            conn.execute_later("INSERT INTO later VALUES (%s)", (1,))
        conn.execute("ROLLBACK")
    finally:
        conn.close()
