"""A workspace whose store is the test PostgreSQL server, and a private schema for
tests that alter the schema itself (triggers, versions)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import BYTECODE, PgWorkspace, write_workspace


@pytest.fixture(autouse=True, scope="session")
def _bytecode_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    BYTECODE["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))


@pytest.fixture
def pg_workspace(tmp_path: Path, postgres_url: str, workspace_id: str) -> PgWorkspace:
    return write_workspace(tmp_path / "ws", postgres_url, workspace_id)


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def private_schema_url(postgres_url: str) -> Iterator[str]:
    """The test server with a fresh, empty schema first on the search path; dropped
    afterwards. For tests that disable triggers or rewrite the schema version."""
    schema = f"dos_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(postgres_url, schema)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
