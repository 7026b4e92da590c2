"""The ``store`` fixture, parametrised over every backend, and a workspace on each.

Each backend is a factory from a fresh temp directory to an unopened store. A new
backend joins by adding one entry to ``BACKENDS`` (and one to ``TAMPER``); every
conformance test then runs against it unchanged.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import LANES, PgWorkspace, write_workspace

from dos.store import Store, open_store

_RUN = uuid.uuid4().hex[:12]


def _sqlite(tmp_path: Path, busy_timeout_ms: int, _server: str) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store' / 'dos.db'}",
                      busy_timeout_ms=busy_timeout_ms)


def _postgres(tmp_path: Path, busy_timeout_ms: int, server: str) -> Store:
    # One database per session: each test gets a workspace of its own in it; the
    # journal's head is witnessed under the test's own directory.
    return open_store(server, workspace_id=f"test-{_RUN}-{tmp_path.name}",
                      busy_timeout_ms=busy_timeout_ms, root=tmp_path)


BACKENDS: dict[str, Callable[[Path, int, str], Store]] = {
    "sqlite": _sqlite, "postgres": _postgres}
# Fixtures a backend needs (they skip, or under CI fail, when its server is absent);
# their value is the server's URL.
REQUIRES = {"postgres": "postgres_url"}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Store]:
    """Open another handle on the same (initially absent) store."""
    server = ""
    if request.param in REQUIRES:
        server = str(request.getfixturevalue(REQUIRES[request.param]))
    def make(busy_timeout_ms: int = 5000) -> Store:
        return BACKENDS[request.param](tmp_path, busy_timeout_ms, server)
    return make


@pytest.fixture
def store(backend: Callable[..., Store]) -> Iterator[Store]:
    handle = backend()
    yield handle
    handle.close()


@pytest.fixture(params=sorted(BACKENDS))
def dos_ws(request: pytest.FixtureRequest, tmp_path: Path) -> PgWorkspace:
    """A workspace with declared lanes whose store is on each backend in turn (the
    embedded one has an empty url)."""
    root = tmp_path / "ws"
    if request.param == "postgres":
        return write_workspace(root, str(request.getfixturevalue("postgres_url")),
                               f"test-{uuid.uuid4().hex}")
    root.mkdir()
    (root / "dos.toml").write_text(LANES, encoding="utf-8")
    return PgWorkspace(root.resolve(), "", "")


Tamper = Callable[[str, str], None]


@pytest.fixture
def tamper(dos_ws: PgWorkspace) -> Tamper:
    """``tamper(sqlite_sql, postgres_sql)``: change the workspace's store behind dos's
    back, past its append-only triggers and CHECK constraints. The PostgreSQL
    statements (``;``-separated) name this workspace as ``%(ws)s``."""
    def run(sqlite_sql: str, postgres_sql: str) -> None:
        if dos_ws.url:
            with psycopg.connect(dos_ws.url, autocommit=True) as conn:
                conn.execute("SET session_replication_role = replica")  # no triggers
                for statement in filter(str.strip, postgres_sql.split(";")):
                    conn.execute(statement, {"ws": dos_ws.workspace_id})
            return
        conn = sqlite3.connect(dos_ws.path / ".dos" / "dos.db")
        conn.execute("PRAGMA ignore_check_constraints = ON")
        try:
            guards = [row[0] for row in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                "('journal_no_update', 'journal_no_delete')")]
            with conn:
                for name in ("journal_no_update", "journal_no_delete"):
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                conn.executescript(sqlite_sql)
                for sql in guards:  # back in place, as PostgreSQL's never left
                    conn.execute(sql)
        finally:
            conn.close()
    return run


def head_file(workspace: PgWorkspace) -> Path:
    """Where the workspace's journal head is witnessed."""
    if workspace.url:
        return next((workspace.path / ".dos").glob("journal-*.head"))
    return workspace.path / ".dos" / "dos.db.head"
