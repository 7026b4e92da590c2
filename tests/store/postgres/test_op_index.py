"""One op's newest journal records come from the (workspace, op, seq) index in seq order,
never from every record of that op sorted; a store at version 5 gains the index."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from tests._support.postgres import write_workspace

from dos.store import open_store
from dos.store.journal import JournalEntry
from dos.store.postgres_schema import latest_version

_NEWEST_BY_OP = ("SELECT seq FROM dos_journal WHERE workspace = %s AND seq > 0 AND op = %s "
                 "ORDER BY seq DESC LIMIT 5")


def _plan(url: str, workspace: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        # Whatever the statistics say about a tiny table: can an index serve it in order?
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        rows = conn.execute(f"EXPLAIN (FORMAT JSON) {_NEWEST_BY_OP}",
                            (workspace, "SPAWN")).fetchone()
    return json.dumps(rows[0] if rows else [])


def test_the_newest_records_of_one_op_need_no_sort(tmp_path: Path,
                                                   private_schema_url: str) -> None:
    store = open_store(private_schema_url, workspace_id="ws-ops", root=tmp_path)
    with store.transaction(write=True) as tx:
        for index in range(20):
            tx.append(JournalEntry("SPAWN" if index % 4 else "HEARTBEAT", lane="src"))
    with store.transaction(write=False) as tx:
        newest = tx.journal_records(op="SPAWN", newest_first=True, limit=3)
    store.close()
    assert [record.seq for record in newest] == [20, 19, 18]
    plan = _plan(private_schema_url, "ws-ops")
    assert '"Index Name": "dos_journal_op_seq"' in plan
    assert '"Node Type": "Sort"' not in plan


def test_a_version_5_store_gains_the_index(tmp_path: Path, private_schema_url: str) -> None:
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-v5")
    assert workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    workspace.sql("DROP INDEX dos_journal_op_seq")
    workspace.sql("UPDATE dos_schema SET version = 5")
    assert workspace.proc("lease-lane", "live").code == 0  # a read migrates the schema
    assert workspace.sql("SELECT version FROM dos_schema") == [(latest_version(),)]
    assert workspace.sql("SELECT indexname FROM pg_indexes WHERE indexname = "
                         "'dos_journal_op_seq' AND schemaname = current_schema()"
                         ) == [("dos_journal_op_seq",)]
