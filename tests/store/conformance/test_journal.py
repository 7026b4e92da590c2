"""Conformance: the ops journal is append-only, hash-chained over every field, and
compactable only behind an anchor."""

from __future__ import annotations

import pytest

from dos.errors import StoreError
from dos.store import Store
from dos.store.journal import (
    GENESIS_HASH,
    JournalAnchor,
    JournalEntry,
    canonical_json,
    check_chain,
    record_hash,
)


def _append(store: Store, *entries: JournalEntry) -> None:
    with store.transaction(write=True) as tx:
        for entry in entries:
            tx.append(entry)


def test_append_assigns_seq_from_one_and_chains_every_record(store: Store) -> None:
    _append(store, JournalEntry("ACQUIRE", lane="src", holder="A", lease_id=1,
                                payload={"tree": ["src/**"], "note": "é ✓"}),
            JournalEntry("RELEASE", lane="src", holder="A", lease_id=1))
    with store.transaction(write=False) as tx:
        records = tx.journal_records()
    assert [record.seq for record in records] == [1, 2]
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash
    assert records[0].payload == {"tree": ["src/**"], "note": "é ✓"}
    assert records[0].hash == record_hash(GENESIS_HASH, records[0].hashed_fields())
    assert check_chain(records).ok


def test_hash_covers_every_field(store: Store) -> None:
    _append(store, JournalEntry("HALT", lane="l", holder="h", run_id="RID-1", loop_ts="t",
                                lease_id=7, payload={"k": 1}))
    with store.transaction(write=False) as tx:
        record = tx.journal_records()[0]
    fields = record.hashed_fields()
    assert set(fields) == {"seq", "ts_ms", "op", "lane", "holder", "run_id", "loop_ts",
                           "lease_id", "payload"}
    for name in fields:
        changed = {**fields, name: "tampered"}
        assert record_hash(record.prev_hash, changed) != record.hash, name


def test_records_are_stamped_by_the_store_clock(store: Store,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", "1234567")
    _append(store, JournalEntry("SPAWN", lane="x"))
    with store.transaction(write=False) as tx:
        assert tx.now_ms() == 1234567
        assert tx.journal_records()[0].ts_ms == 1234567


def test_unknown_op_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown journal op"):
        _append(store, JournalEntry("SPAWN"), JournalEntry("BOGUS"))
    with store.transaction(write=False) as tx:
        assert tx.journal_count() == 0


def test_filters_order_and_since(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for ts, op in ((100, "SPAWN"), (200, "HALT"), (300, "SPAWN")):
        monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(ts))
        _append(store, JournalEntry(op))
    with store.transaction(write=False) as tx:
        assert [r.seq for r in tx.journal_records(op="SPAWN")] == [1, 3]
        assert [r.seq for r in tx.journal_records(newest_first=True, limit=2)] == [3, 2]
        assert [r.seq for r in tx.journal_records(after_seq=1)] == [2, 3]
        assert [r.seq for r in tx.journal_records(since_ms=200)] == [2, 3]
        assert tx.journal_count() == 3


def test_append_many_continues_the_same_chain(store: Store) -> None:
    _append(store, JournalEntry("SPAWN"))
    with store.transaction(write=True) as tx:
        assert tx.append_many([JournalEntry("HALT", lease_id=i) for i in range(50)],
                              ts_ms=5) == 50
        tx.append(JournalEntry("SPAWN"))
    with store.transaction(write=False) as tx:
        records = tx.journal_records(limit=100)
    assert [r.seq for r in records] == list(range(1, 53))
    assert check_chain(records).ok


def test_drop_through_anchor_keeps_the_chain_verifiable(store: Store) -> None:
    _append(store, *(JournalEntry("SPAWN", lane=str(i)) for i in range(5)))
    with store.transaction(write=True) as tx:
        edge = tx.journal_records(after_seq=2, limit=1)[0]
        assert tx.drop_journal_through(JournalAnchor(edge.seq, edge.hash)) == 3
        tx.append(JournalEntry("SPAWN", lane="after"))
    with store.transaction(write=False) as tx:
        anchor = tx.journal_anchor()
        records = tx.journal_records()
    assert anchor == JournalAnchor(3, edge.hash)
    assert [r.seq for r in records] == [4, 5, 6]
    assert check_chain(records, anchor=anchor).ok
    assert not check_chain(records).ok  # without its anchor the start does not link


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    def fail_midway() -> None:
        with store.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_midway()
    with store.transaction(write=False) as tx:
        assert tx.journal_count() == 0


def test_canonical_json_is_one_spelling() -> None:
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    with pytest.raises(ValueError):
        canonical_json(float("nan"))


def test_read_transaction_does_not_create_the_store(store: Store) -> None:
    assert not store.exists()
    with pytest.raises(StoreError, match="no store"):
        store.transaction(write=False).__enter__()
    assert not store.exists()
    _append(store, JournalEntry("SPAWN"))
    assert store.exists()


@pytest.mark.parametrize("write", [False, True])
def test_a_transaction_if_the_store_exists_creates_nothing(store: Store, write: bool) -> None:
    with store.transaction_if_exists(write=write) as tx:
        assert tx is None
    assert not store.exists()
    _append(store, JournalEntry("SPAWN"))
    with store.transaction_if_exists(write=write) as tx:
        assert tx is not None
        assert tx.journal_count() == 1
        if write:
            tx.append(JournalEntry("SPAWN", lane="kept"))

    def append_then_fail() -> None:
        with store.transaction_if_exists(write=True) as tx:
            assert tx is not None
            tx.append(JournalEntry("SPAWN", lane="lost"))
            raise KeyError

    with pytest.raises(KeyError):
        append_then_fail()
    with store.transaction(write=False) as tx:
        assert [record.lane for record in tx.journal_records()] == \
            (["", "kept"] if write else [""])
