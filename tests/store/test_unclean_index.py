"""The lock-delay check reads leases that ended uncleanly from an index of their own
(SQLite migration 8), never the clean releases; a version 7 store gains it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dos.admission.lease import Lease
from dos.store import open_store
from dos.store.migrations import UNCLEAN_END_SQL, latest_version

_QUERY = (f"SELECT lease_id FROM leases WHERE {UNCLEAN_END_SQL} "  # noqa: S608 - constant
          "AND released_at_ms >= ?")


def _filled(path: Path) -> None:
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=True) as tx:
        for index in range(30):
            lease = tx.insert_lease(Lease(lease_id=0, lane="src", tree=("src/**",),
                                          holder="A", acquired_at_ms=1, renewed_at_ms=1,
                                          ttl_ms=1000))
            tx.end_lease(lease.lease_id, at_ms=index, kind="expire" if index % 10 else "release")
    store.close()


def _plan(raw: sqlite3.Connection) -> str:
    return " ".join(str(row[-1]) for row in raw.execute(f"EXPLAIN QUERY PLAN {_QUERY}", (5,)))


def test_the_unclean_ends_come_from_their_own_index(tmp_path: Path) -> None:
    path = tmp_path / "dos.db"
    _filled(path)
    raw = sqlite3.connect(path)
    try:
        assert "USING INDEX leases_ended_unclean" in _plan(raw)
        assert len(raw.execute(_QUERY, (5,)).fetchall()) == 23
    finally:
        raw.close()


def test_a_version_7_store_gains_the_index(tmp_path: Path) -> None:
    path = tmp_path / "dos.db"
    _filled(path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("DROP INDEX leases_ended_unclean")
        raw.execute("UPDATE schema_version SET version = 7")
    raw.close()
    store = open_store(f"sqlite:///{path}")
    with store.transaction(write=False) as tx:
        assert len(tx.leases_ended_uncleanly_since(5)) == 23
    store.close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (latest_version(),)
        assert "USING INDEX leases_ended_unclean" in _plan(raw)
    finally:
        raw.close()
