"""One run's journal records (`dos status`, `dos liveness`, `dos trace`) are read from the
run-id and lease-id indexes (SQLite migration 9), never by a walk through the journal;
a version 8 store gains them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests._support.run_reads import RUN, RUN_READS, run_journal

from dos.store import StoreTx, open_store
from dos.store.migrations import latest_version

_INDEX = {"run": "journal_run", "lease": "journal_lease"}


def _filled(path: Path) -> None:
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True) as tx:
        tx.append_many(run_journal(), ts_ms=1000)
    store.close()


def _plans(path: Path, read: Callable[[StoreTx], object]) -> list[str]:
    """SQLite's plan for each SELECT ``read`` makes, traced from the store's own
    connection (so the plans are of the queries dos runs, values and all)."""
    seen: list[str] = []
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        tx._conn.set_trace_callback(seen.append)  # type: ignore[attr-defined]
        read(tx)
    store.close()
    raw = sqlite3.connect(path)
    try:
        return [" | ".join(str(row[-1]) for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}"))
                for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    finally:
        raw.close()


def _indexed(plans: list[str], *indexes: str) -> None:
    assert plans
    for plan in plans:
        assert all(f"INDEX {index} " in plan for index in indexes), plan
        assert "SCAN journal" not in plan, plan
        assert "journal_op_seq" not in plan, plan
        assert "journal_ts" not in plan, plan


def test_a_runs_records_come_from_its_indexes(tmp_path: Path) -> None:
    path = tmp_path / "dos.db"
    _filled(path)
    for read, kinds in RUN_READS:
        _indexed(_plans(path, read), *(_INDEX[kind] for kind in kinds))


def test_a_version_8_store_gains_the_indexes(tmp_path: Path) -> None:
    path = tmp_path / "dos.db"
    _filled(path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DROP INDEX journal_run")
        raw.execute("DROP INDEX journal_lease")
        raw.execute("UPDATE schema_version SET version = 8")
    raw.close()
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        assert len(tx.run_records(RUN, lease_ids=[3], limit=10_000)) == 60
    store.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (latest_version(),)
    finally:
        raw.close()
    _indexed(_plans(path, lambda tx: tx.run_records(RUN, lease_ids=[3])),
             "journal_run", "journal_lease")
