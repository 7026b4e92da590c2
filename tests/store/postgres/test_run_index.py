"""One run's journal records come from the (workspace, run_id, seq) and (workspace,
lease_id, seq) indexes (PostgreSQL migration 9), never from a walk through the workspace's
journal; a version 8 store gains them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from tests._support.postgres import write_workspace
from tests._support.run_reads import RUN_READS, run_journal

from dos.store import StoreTx, open_store
from dos.store.postgres_schema import latest_version

_INDEX = {"run": "dos_journal_run", "lease": "dos_journal_lease"}


class _Recording:
    """The transaction's connection, keeping each statement it runs and its values."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.seen = conn, list[tuple[str, tuple[Any, ...]]]()

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        self.seen.append((sql, tuple(params)))
        return self.conn.execute(sql, params)


def _statements(url: str, workspace: str, root: Path,
                read: Callable[[StoreTx], object]) -> list[tuple[str, tuple[Any, ...]]]:
    store = open_store(url, workspace_id=workspace, root=root)
    try:
        with store.transaction(write=False) as tx:
            recording = _Recording(tx._conn)  # type: ignore[attr-defined]
            tx._conn = recording  # type: ignore[attr-defined]
            read(tx)
            tx._conn = recording.conn  # type: ignore[attr-defined]
    finally:
        store.close()
    return [(sql, params) for sql, params in recording.seen
            if sql.lstrip().upper().startswith("SELECT") and "dos_journal" in sql]


def _plans(url: str, statements: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE dos_journal")
        conn.execute("SET enable_seqscan = off")  # whatever a small table's statistics say
        return [json.dumps(conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchone())
                for sql, params in statements]


def _fill(url: str, workspace: str, root: Path) -> None:
    store = open_store(url, workspace_id=workspace, root=root)
    with store.transaction(write=True) as tx:
        tx.append_many(run_journal(), ts_ms=1000)
    store.close()


def _indexed(plans: list[str], *indexes: str) -> None:
    assert plans
    for plan in plans:
        assert all(f'"Index Name": "{index}"' in plan for index in indexes), plan
        assert '"Node Type": "Seq Scan"' not in plan, plan
        assert "dos_journal_pkey" not in plan, plan
        assert "dos_journal_op" not in plan, plan


def test_a_runs_records_come_from_its_indexes(tmp_path: Path, private_schema_url: str) -> None:
    _fill(private_schema_url, "ws-run", tmp_path)

    def plans(read: Callable[[StoreTx], object]) -> list[str]:
        return _plans(private_schema_url,
                      _statements(private_schema_url, "ws-run", tmp_path, read))
    for read, kinds in RUN_READS:
        _indexed(plans(read), *(_INDEX[kind] for kind in kinds))


def test_a_version_8_store_gains_the_indexes(tmp_path: Path, private_schema_url: str) -> None:
    workspace = write_workspace(tmp_path / "ws", private_schema_url, "ws-v8")
    assert workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    workspace.sql("DROP INDEX dos_journal_run")
    workspace.sql("DROP INDEX dos_journal_lease")
    workspace.sql("UPDATE dos_schema SET version = 8")
    assert workspace.proc("lease-lane", "live").code == 0  # a read migrates the schema
    assert workspace.sql("SELECT version FROM dos_schema") == [(latest_version(),)]
    assert sorted(workspace.sql(
        "SELECT indexname FROM pg_indexes WHERE indexname IN ('dos_journal_run', "
        "'dos_journal_lease') AND schemaname = current_schema()")) == [
        ("dos_journal_lease",), ("dos_journal_run",)]
