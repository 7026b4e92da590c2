"""Conformance: the verdict journal is hash-chained with a gap-free seq, append-only,
indexed for its readers, compactable only behind an anchor, and copied verbatim."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from dos.errors import StoreError
from dos.store import Store
from dos.store.chain import GENESIS_HASH, record_hash
from dos.store.journal import JournalAnchor, check_chain
from dos.store.verdicts import VerdictEntry, VerdictRecord, seal_verdict


def _entry(syscall: str = "verify", verdict: str = "SHIPPED", **fields: object) -> VerdictEntry:
    return VerdictEntry(syscall=syscall, verdict=verdict, source=str(fields.pop("source", "cli")),
                        **fields)  # type: ignore[arg-type]


def _append(store: Store, *entries: VerdictEntry, durable: bool = True) -> list[VerdictRecord]:
    with store.transaction(write=True, durable=durable) as tx:
        return [tx.append_verdict(entry) for entry in entries]


def _all(store: Store) -> list[VerdictRecord]:
    with store.transaction(write=False) as tx:
        return tx.verdict_records(limit=10_000)


def _raw(store: Store, sql: str) -> None:
    """Change the store behind dos's back, its append-only triggers switched off."""
    workspace = getattr(store, "workspace_id", None)
    if workspace is not None:
        with psycopg.connect(store.url, autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute(sql.replace("verdicts", "dos_verdict_journal").replace(
                "WHERE", f"WHERE workspace = '{workspace}' AND"))
        return
    conn = sqlite3.connect(Path(store.url.removeprefix("sqlite:///")))
    try:
        with conn:
            conn.execute("DROP TRIGGER IF EXISTS verdict_journal_no_update")
            conn.execute("DROP TRIGGER IF EXISTS verdict_journal_no_delete")
            conn.execute(sql.replace("verdicts", "verdict_journal"))
    finally:
        conn.close()


def test_appends_chain_every_field_from_seq_one(store: Store,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", "1700000000123")
    first, second = _append(
        store, _entry(subject="AUTH::AUTH1", run_id="RID-1", lane="src",
                      detail={"grade": "subject", "n": 2, "ratio": 0.5, "ok": True, "x": None,
                              "note": "é ✓"}),
        _entry("pretool", "DENY", source="hook", detail={"session": "s", "reason": "LANE_HELD"}))
    assert (first.seq, second.seq) == (1, 2)
    assert first.ts_ms == 1700000000123  # the store's clock, in milliseconds
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert first.hash == record_hash(GENESIS_HASH, first.hashed_fields())
    assert set(first.hashed_fields()) == {"seq", "ts_ms", "syscall", "verdict", "subject",
                                          "run_id", "lane", "source", "detail"}
    assert _all(store) == [first, second]
    assert check_chain(_all(store)).ok


def test_the_hash_covers_every_field(store: Store) -> None:
    record = _append(store, _entry(subject="s", run_id="r", lane="l", detail={"k": 1}))[0]
    fields = record.hashed_fields()
    for name in fields:
        assert record_hash(record.prev_hash, {**fields, name: "tampered"}) != record.hash, name


@pytest.mark.parametrize("entry", [
    VerdictEntry(syscall="verify", verdict="SHIPPED", source="web"),
    VerdictEntry(syscall="", verdict="SHIPPED", source="cli"),
    VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli", detail={"list": [1]}),
    VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli", detail={"n": math.nan}),
    VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli", subject=3),  # type: ignore[arg-type]
], ids=["source", "empty-syscall", "non-scalar", "nan", "non-text"])
def test_a_malformed_entry_is_refused_and_nothing_is_written(store: Store,
                                                             entry: VerdictEntry) -> None:
    _append(store, _entry())
    with pytest.raises(ValueError):
        _append(store, _entry("ok"), entry)
    assert [record.syscall for record in _all(store)] == ["verify"]


def test_filters_order_and_paging_read_what_observe_asks(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for clock, syscall, run_id in ((100, "verify", "RID-A"), (200, "liveness", "RID-A"),
                                   (300, "verify", "RID-B"), (400, "pretool", "")):
        monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(clock))
        _append(store, _entry(syscall, run_id=run_id))
    with store.transaction(write=False) as tx:
        assert [r.seq for r in tx.verdict_records(syscall="verify")] == [1, 3]
        assert [r.seq for r in tx.verdict_records(run_id="RID-A")] == [1, 2]
        assert [r.seq for r in tx.verdict_records(since_ms=250)] == [3, 4]
        assert [r.seq for r in tx.verdict_records(newest_first=True, limit=2)] == [4, 3]
        assert [r.seq for r in tx.verdict_records(after_seq=2, limit=1)] == [3]
        assert [r.seq for r in tx.verdict_records(syscall="verify", run_id="RID-B",
                                                  since_ms=300)] == [3]


def test_the_rollup_is_counted_by_the_database(store: Store) -> None:
    _append(store, _entry("verify", "SHIPPED", lane="src"),
            _entry("verify", "NOT_SHIPPED", run_id="RID-1"),
            _entry("verify", "SHIPPED", source="mcp"),
            _entry("pretool", "DENY", source="hook", run_id="RID-1"))
    with store.transaction(write=False) as tx:
        assert sorted(tx.verdict_rollup("syscall")) == [
            ("pretool", "DENY", 1), ("verify", "NOT_SHIPPED", 1), ("verify", "SHIPPED", 2)]
        assert sorted(tx.verdict_rollup("source", syscall="verify")) == [
            ("cli", "NOT_SHIPPED", 1), ("cli", "SHIPPED", 1), ("mcp", "SHIPPED", 1)]
        assert sorted(tx.verdict_rollup("lane", run_id="RID-1")) == [
            ("", "DENY", 1), ("", "NOT_SHIPPED", 1)]
        assert tx.verdict_rollup("verdict", since_ms=2**62) == []
        with pytest.raises(ValueError, match="cannot roll"):
            tx.verdict_rollup("hash; DROP TABLE verdicts")


def test_span_and_links_find_a_missing_or_relinked_record(store: Store) -> None:
    _append(store, *(_entry(subject=str(n)) for n in range(5)))
    with store.transaction(write=False) as tx:
        assert tx.verdict_span() == (5, 1, 5)
        assert tx.verdict_link_breaks() == []
    _raw(store, "UPDATE verdicts SET prev_hash = 'f' WHERE seq = 4")
    _raw(store, "DELETE FROM verdicts WHERE seq = 2")
    with store.transaction(write=False) as tx:
        assert tx.verdict_span() == (4, 1, 5)
        assert tx.verdict_link_breaks(limit=5) == [3, 4]  # 3 lost its predecessor


def test_the_journal_is_append_only(store: Store) -> None:
    _append(store, _entry())
    for statement in ("UPDATE verdicts SET verdict = 'NOT_SHIPPED'", "DELETE FROM verdicts"):
        with pytest.raises(StoreError, match="append-only"), \
                store.transaction(write=True) as tx:
            tx._conn.execute(statement.replace("verdicts", _table(store)))  # type: ignore[attr-defined]
    assert [record.verdict for record in _all(store)] == ["SHIPPED"]


def _table(store: Store) -> str:
    return "dos_verdict_journal" if hasattr(store, "workspace_id") else "verdict_journal"


def test_dropping_behind_an_anchor_keeps_the_chain_going(store: Store) -> None:
    records = _append(store, *(_entry(subject=str(n)) for n in range(4)))
    anchor = JournalAnchor(seq=2, hash=records[1].hash)
    with store.transaction(write=True) as tx:
        assert tx.drop_verdicts_through(anchor) == 2
    with store.transaction(write=True) as tx:
        assert tx.verdict_anchor() == anchor
        later = tx.append_verdict(_entry("cooldown"))
    with pytest.raises(StoreError, match="append-only"), store.transaction(write=True) as tx:
        tx._conn.execute(f"DELETE FROM {_table(store)} WHERE seq = 3")  # type: ignore[attr-defined]  # noqa: S608
    assert later.seq == 5
    assert check_chain(_all(store), anchor=anchor).ok


def test_the_anchor_alone_carries_the_head(store: Store) -> None:
    records = _append(store, _entry(), _entry())
    with store.transaction(write=True) as tx:
        tx.drop_verdicts_through(JournalAnchor(seq=2, hash=records[1].hash))
        assert tx.verdict_span() == (0, 0, 0)
        after = tx.append_verdict(_entry("loop"))
    assert (after.seq, after.prev_hash) == (3, records[1].hash)


def test_loaded_records_keep_their_seq_stamp_and_hash(store: Store) -> None:
    first = seal_verdict(_entry(detail={"n": 1.5}), seq=1, ts_ms=111, prev_hash=GENESIS_HASH)
    second = seal_verdict(_entry("stop", "BLOCK", source="hook"), seq=2, ts_ms=222,
                          prev_hash=first.hash)
    with store.transaction(write=True) as tx:
        tx.load_verdicts([first, second])
        third = tx.append_verdict(_entry())
    assert _all(store) == [first, second, third]
    assert third.prev_hash == second.hash


def test_a_relaxed_commit_is_kept_like_any_other(backend: Callable[..., Store]) -> None:
    first = backend()
    written = _append(first, _entry("pretool", "ALLOW", source="hook"), durable=False)
    first.close()
    again = backend()  # a fresh handle sees what the relaxed transaction committed
    assert _all(again) == written
    with again.transaction(write=True) as tx:  # the next transaction is durable again
        tx.append_verdict(_entry())
    again.close()
