"""Upgrading an SQLite store to the attempts table copies the journal's ATTEMPT
records in, with the time cooldown read from them before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dos.store import open_store
from dos.store.journal import JournalEntry
from dos.store.migrations import latest_version

T0 = 1_767_225_600_000


def test_an_older_store_gets_its_attempts_copied_in(tmp_path: Path,
                                                    monkeypatch: object) -> None:
    path = tmp_path / ".dos" / "dos.db"
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("ATTEMPT", lane="src", run_id="RID-1", payload={
            "unit_id": "AUTH2", "outcome": "BLOCKED", "attempted_at_ms": T0, "sha": "abc"}))
        tx.append(JournalEntry("ATTEMPT", payload={"unit_id": "AUTH3"}))
        tx.append(JournalEntry("ATTEMPT", payload={"unit_id": 7}))  # not a unit: no row
        tx.append(JournalEntry("SPAWN", payload={"unit_id": "AUTH4"}))
    store.close()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DROP TABLE attempts")
        raw.execute("DROP TABLE intents")
        raw.execute("UPDATE schema_version SET version = 6")
    raw.close()
    store = open_store(f"sqlite:///{path}")
    try:
        with store.transaction(write=False) as tx:
            rows = tx.attempts()
            stamp = tx.journal_records(op="ATTEMPT")[1].ts_ms
            assert tx.runs_with_intents() == []
    finally:
        store.close()
    assert [(r.seq, r.unit_id, r.outcome, r.lane, r.run_id, r.attempted_at_ms, dict(r.detail))
            for r in rows] == [(1, "AUTH2", "blocked", "src", "RID-1", T0, {"sha": "abc"}),
                               (2, "AUTH3", "unknown", "", "", stamp, {})]
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT version FROM schema_version").fetchone() == (latest_version(),)
    raw.close()
