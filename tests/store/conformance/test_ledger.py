"""Conformance: attempts are rows of their own (indexed by unit, kept through journal
compaction, copied verbatim), and the intent ledger is one append-only hash chain per
run, sealed by the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from dos.errors import StoreError
from dos.store import Store
from dos.store.chain import GENESIS_HASH, record_hash
from dos.store.intents import IntentEntry
from dos.store.journal import JournalAnchor, JournalEntry, check_chain
from dos.store.transfer import copy_store

T0 = 1_767_225_600_000


def _raw(store: Store, sqlite_sql: str, postgres_sql: str) -> None:
    """Change a table behind dos's back, its append-only guard left as it is."""
    workspace = getattr(store, "workspace_id", None)
    if workspace is not None:
        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute(postgres_sql, {"ws": workspace})
        return
    conn = sqlite3.connect(Path(store.url.removeprefix("sqlite:///")))
    try:
        with conn:
            conn.execute(sqlite_sql)
    finally:
        conn.close()


def _tamper(store: Store, trigger: str, sqlite_sql: str, postgres_sql: str) -> None:
    """Change a row past the append-only guard (its SQLite ``trigger`` dropped)."""
    workspace = getattr(store, "workspace_id", None)
    if workspace is not None:
        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute(postgres_sql, (workspace,))
        return
    conn = sqlite3.connect(Path(store.url.removeprefix("sqlite:///")))
    with conn:
        conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(sqlite_sql)
    conn.close()


def test_an_attempt_is_a_journal_record_and_a_row(store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    with store.transaction(write=True) as tx:
        made = tx.record_attempt(unit_id="AUTH2", outcome="blocked", lane="src",
                                 run_id="RID-1", holder="w1", detail={"sha": "abc"})
    with store.transaction(write=False) as tx:
        record = tx.journal_records(op="ATTEMPT")[0]
        rows = tx.attempts(unit_id="AUTH2")
    assert (made.seq, made.attempted_at_ms, made.outcome) == (record.seq, T0, "blocked")
    assert record.payload == {"unit_id": "AUTH2", "outcome": "blocked", "sha": "abc"}
    assert rows == [made]
    assert made.to_dict()["detail"] == {"sha": "abc"}


def test_a_units_attempts_come_in_time_order_and_batches_count_them(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for offset, unit in ((30, "A"), (10, "A"), (20, "B"), (40, "A")):
        monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + offset))
        with store.transaction(write=True) as tx:
            tx.record_attempt(unit_id=unit, outcome="error")
    with store.transaction(write=False) as tx:
        times = [a.attempted_at_ms - T0 for a in tx.attempts(unit_id="A")]
        newest = [a.attempted_at_ms - T0 for a in tx.attempts(unit_id="A", newest_first=True,
                                                               limit=2)]
        recent = [a.attempted_at_ms - T0 for a in tx.attempts(unit_id="A", since_ms=T0 + 30)]
        batch = tx.last_attempts(["A", "B", "never", "A"])
        many = tx.last_attempts([f"U{i}" for i in range(1200)] + ["B"])
    assert times == [10, 30, 40]
    assert newest == [40, 30]
    assert recent == [30, 40]
    assert batch == {"A": (3, T0 + 40), "B": (1, T0 + 20)}
    assert many == {"B": (1, T0 + 20)}


def test_an_attempt_appended_as_a_plain_journal_record_gets_its_row(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("ATTEMPT", lane="src", payload={"unit_id": "U", "outcome":
                                                               " Drained "}))
        tx.append(JournalEntry("ATTEMPT", payload={"unit_id": "V", "outcome": "shipped",
                                                   "attempted_at_ms": T0 - 5}))
        tx.append(JournalEntry("ATTEMPT", payload={"unit_id": "W", "attempted_at_ms": "soon"}))
        tx.append(JournalEntry("ATTEMPT", payload={"outcome": "shipped"}))  # names no unit
        tx.append_many([JournalEntry("ATTEMPT", payload={"unit_id": "X"})], ts_ms=T0 + 1)
    with store.transaction(write=False) as tx:
        rows = {a.unit_id: (a.outcome, a.attempted_at_ms) for a in tx.attempts()}
    assert rows == {"U": ("drained", T0), "V": ("shipped", T0 - 5), "W": ("unknown", T0),
                    "X": ("unknown", T0 + 1)}


def test_compacting_the_journal_keeps_every_attempt(store: Store) -> None:
    with store.transaction(write=True) as tx:
        for unit in ("A", "B"):
            tx.record_attempt(unit_id=unit, outcome="blocked")
        last = tx.append(JournalEntry("HEARTBEAT"))
    with store.transaction(write=True) as tx:
        assert tx.drop_journal_through(JournalAnchor(last.seq, last.hash)) == 3
    with store.transaction(write=False) as tx:
        assert tx.journal_count() == 0
        assert [a.unit_id for a in tx.attempts()] == ["A", "B"]
        assert tx.last_attempts(["A"])["A"][0] == 1


def test_attempts_and_intents_are_append_only(store: Store) -> None:
    with store.transaction(write=True) as tx:
        tx.record_attempt(unit_id="A", outcome="error")
        tx.append_intent(IntentEntry("RID-1", "INTENT", payload={"steps": ["s1"]}))
    for sqlite_sql, postgres_sql in (
            ("UPDATE attempts SET outcome = 'shipped'",
             "UPDATE dos_attempts SET outcome = 'shipped' WHERE workspace = %(ws)s"),
            ("DELETE FROM attempts", "DELETE FROM dos_attempts WHERE workspace = %(ws)s"),
            ("UPDATE intents SET step = 'x'",
             "UPDATE dos_intents SET step = 'x' WHERE workspace = %(ws)s"),
            ("DELETE FROM intents", "DELETE FROM dos_intents WHERE workspace = %(ws)s")):
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
            _raw(store, sqlite_sql, postgres_sql)


def test_each_run_has_its_own_chain_sealed_by_the_store(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    with store.transaction(write=True) as tx:
        first = tx.append_intent(IntentEntry("RID-B", "INTENT", payload={"steps": ["s1"]}))
        other = tx.append_intent(IntentEntry("RID-A", "INTENT", payload={"steps": ["x"]}))
        done = tx.append_intent(IntentEntry("RID-B", "STEP_DONE", step="s1", commit="c" * 40))
    assert (first.seq, other.seq, done.seq) == (1, 1, 2)
    assert first.prev_hash == other.prev_hash == GENESIS_HASH
    assert done.prev_hash == first.hash
    assert done.hash == record_hash(first.hash, done.hashed_fields())
    assert done.ts_ms == T0
    with store.transaction(write=False) as tx:
        chain = tx.intents("RID-B")
        assert tx.runs_with_intents() == ["RID-A", "RID-B"]
        assert tx.intents("RID-none") == []
    assert chain == [first, done]
    assert check_chain(chain).ok
    with pytest.raises(ValueError, match="unknown intent kind"), \
            store.transaction(write=True) as tx:
        tx.append_intent(IntentEntry("RID-B", "STEP_VERIFIED"))


def test_a_tampered_intent_breaks_its_chain(store: Store) -> None:
    with store.transaction(write=True) as tx:
        tx.append_intent(IntentEntry("RID-1", "INTENT", payload={"steps": ["s1", "s2"]}))
        tx.append_intent(IntentEntry("RID-1", "STEP_DONE", step="s1", commit="a" * 40))
    _tamper(store, "intents_no_update", "UPDATE intents SET step = 's2' WHERE seq = 2",
            "UPDATE dos_intents SET step = 's2' WHERE workspace = %s AND seq = 2")
    with store.transaction(write=False) as tx:
        report = check_chain(tx.intents("RID-1"))
    assert (report.ok, report.first_bad_seq) == (False, 2)


def test_a_damaged_attempt_cell_is_a_store_error(store: Store) -> None:
    with store.transaction(write=True) as tx:
        tx.record_attempt(unit_id="A", outcome="error")
    _tamper(store, "attempts_no_update", "UPDATE attempts SET attempted_at_ms = 'soon'",
            "UPDATE dos_attempts SET detail = '[1]' WHERE workspace = %s")
    with pytest.raises(StoreError, match="attempt seq 1"), \
            store.transaction(write=False) as tx:
        tx.attempts(unit_id="A")


def test_store_copy_carries_attempts_and_every_ledger(store: Store, tmp_path: Path) -> None:
    from dos.store import open_store

    with store.transaction(write=True) as tx:
        tx.record_attempt(unit_id="A", outcome="drained")
        tx.append_intent(IntentEntry("RID-1", "INTENT", payload={"steps": ["s1"]}))
        tx.append_intent(IntentEntry("RID-1", "STEP_STARTED", step="s1"))
        last = tx.append(JournalEntry("HEARTBEAT"))
    with store.transaction(write=True) as tx:
        tx.drop_journal_through(JournalAnchor(last.seq, last.hash))  # the row outlives it
    target = open_store(f"sqlite:///{tmp_path / 'copy' / 'dos.db'}")
    try:
        report = copy_store(store, target)
        with store.transaction(write=False) as src, target.transaction(write=False) as dst:
            assert dst.attempts() == src.attempts()
            assert dst.intents("RID-1") == src.intents("RID-1")
    finally:
        target.close()
    assert (report.attempts, report.intents) == (1, 2)
