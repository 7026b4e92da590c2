"""Upgrading a PostgreSQL store to the attempts table copies the journal's ATTEMPT
records in, per workspace, with the time cooldown read from them before."""

from __future__ import annotations

import psycopg

from dos.store import open_store
from dos.store.postgres_schema import MIGRATIONS, latest_version

T0 = 1_767_225_600_000
_INSERT = ("INSERT INTO dos_journal (workspace, seq, ts_ms, op, lane, holder, run_id, "
           "loop_ts, lease_id, payload, prev_hash, hash) "
           "VALUES (%s, %s, %s, %s, 'src', 'w1', 'RID-1', '', NULL, %s, '', '')")


def test_an_older_schema_gets_its_attempts_copied_in(private_schema_url: str) -> None:
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE dos_schema (version integer NOT NULL)")
        conn.execute("INSERT INTO dos_schema (version) VALUES (5)")
        for statements in MIGRATIONS[:5]:
            for statement in statements:
                conn.execute(statement)
        for workspace in ("ws-a", "ws-b"):
            conn.execute("INSERT INTO dos_workspaces VALUES (%s, 0)", (workspace,))
        for seq, payload in (
                (1, f'{{"attempted_at_ms":{T0},"outcome":"Drained","unit_id":"U"}}'),
                (2, '{"attempted_at_ms":"soon","unit_id":"V","x":1}'),
                (3, '{"outcome":"shipped"}'),
                (4, "not json")):
            conn.execute(_INSERT, ("ws-a", seq, T0 + 50, "ATTEMPT", payload))
        conn.execute(_INSERT, ("ws-b", 1, T0, "ATTEMPT", '{"unit_id":"U"}'))
    store = open_store(private_schema_url, workspace_id="ws-a")
    try:
        with store.transaction(write=False) as tx:
            rows = [(r.seq, r.unit_id, r.outcome, r.attempted_at_ms, dict(r.detail))
                    for r in tx.attempts()]
            counts = tx.last_attempts(["U", "V"])
    finally:
        store.close()
    assert rows == [(1, "U", "drained", T0, {}), (2, "V", "unknown", T0 + 50, {"x": 1})]
    assert counts == {"U": (1, T0), "V": (1, T0 + 50)}
    with psycopg.connect(private_schema_url, autocommit=True) as conn:
        assert conn.execute("SELECT version FROM dos_schema").fetchone() == (latest_version(),)
        assert conn.execute("SELECT count(*) FROM dos_attempts WHERE workspace = 'ws-b'"
                            ).fetchone() == (1,)
