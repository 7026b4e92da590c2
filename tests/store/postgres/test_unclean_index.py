"""The lock-delay check's leases that ended uncleanly come from the (workspace,
released_at_ms) index of those alone (PostgreSQL migration 8); a version 7 store gains it."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from tests._support.postgres import write_workspace

from dos.store.migrations import UNCLEAN_END_SQL
from dos.store.postgres_schema import latest_version

_UNCLEAN = (f"SELECT lease_id FROM dos_leases WHERE workspace = %s AND {UNCLEAN_END_SQL} "  # noqa: S608
            "AND released_at_ms >= %s")


def _plan(url: str, workspace: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")  # whatever a tiny table's statistics say
        rows = conn.execute(f"EXPLAIN (FORMAT JSON) {_UNCLEAN}", (workspace, 0)).fetchone()
    return json.dumps(rows[0] if rows else [])


def test_a_version_7_store_gains_the_unclean_index(tmp_path: Path,
                                                   private_schema_url: str) -> None:
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-v7")
    assert workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    assert '"Index Name": "dos_leases_ended_unclean"' in _plan(private_schema_url, "ws-v7")
    workspace.sql("DROP INDEX dos_leases_ended_unclean")
    workspace.sql("UPDATE dos_schema SET version = 7")
    assert workspace.proc("lease-lane", "live").code == 0  # a read migrates the schema
    assert workspace.sql("SELECT version FROM dos_schema") == [(latest_version(),)]
    assert '"Index Name": "dos_leases_ended_unclean"' in _plan(private_schema_url, "ws-v7")
