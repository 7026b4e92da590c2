"""The PostgreSQL server the store tests use, and a fresh workspace id per test.

``DOS_TEST_POSTGRES_URL`` names the server (default: the loopback one). When it does
not answer, the PostgreSQL tests skip, unless ``DOS_TEST_REQUIRE_POSTGRES=1`` (set
by ``.ci/run``), which makes them fail instead. Each test session works in a database
of its own, created on that server and dropped afterwards, so what an earlier run (or
another version of dos) left there cannot change an answer.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
# Read at import: the autouse fixture clears DOS_* variables before each test.
_URL = os.environ.get("DOS_TEST_POSTGRES_URL", "") or DEFAULT_POSTGRES_URL
_REQUIRED = os.environ.get("DOS_TEST_REQUIRE_POSTGRES", "") == "1"


def postgres_test_url() -> str:
    return _URL


@cache
def _unreachable_because() -> str:
    """Why the test server cannot be used ("" when it can)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        with psycopg.connect(_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ""


@pytest.fixture(scope="session")
def _session_database() -> Iterator[str]:
    """A database of this session's own on the test server (the configured database
    itself when the role may not create one)."""
    import psycopg

    name = f"dos_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        yield _URL
        return
    yield urlsplit(_URL)._replace(path=f"/{name}").geturl()
    with psycopg.connect(_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """The test database's URL; skips (or, under CI, fails) when the server does not
    answer."""
    problem = _unreachable_because()
    if problem:
        from dos.store.urls import redact_url

        message = (f"PostgreSQL at DOS_TEST_POSTGRES_URL={redact_url(_URL)} is unreachable "
                   f"({problem}); "
                   "set DOS_TEST_POSTGRES_URL=postgresql://user@host:port/db to point the "
                   "store tests at a server")
        if _REQUIRED:
            pytest.fail(f"{message} (DOS_TEST_REQUIRE_POSTGRES=1 forbids skipping)")
        pytest.skip(message)
    url: str = request.getfixturevalue("_session_database")
    return url


@pytest.fixture
def workspace_id() -> str:
    """A workspace id no other test (or earlier run) has used."""
    return f"test-{uuid.uuid4().hex}"
