"""Conformance: the whole-history copy methods (``dos store copy``) — listing every
counter and memory, and loading records, leases and verdicts verbatim."""

from __future__ import annotations

from dos.admission.lease import Lease
from dos.store import Store
from dos.store.journal import GENESIS_HASH, JournalEntry, check_chain, seal
from dos.store.verdicts import VerdictEntry, seal_verdict


def test_counters_and_memories_list_everything(store: Store) -> None:
    with store.transaction(write=True) as tx:
        assert tx.counters() == {}
        assert tx.memories() == []
        tx.set_counter("b", 2)
        tx.set_counter("a", 1)
        tx.remember("watchdog", "RID-2", [1, "é"])
        tx.remember("watchdog", "RID-1", {"k": None})
    with store.transaction(write=False) as tx:
        assert tx.counters() == {"a": 1, "b": 2}
        assert tx.memories() == [("watchdog", "RID-1", {"k": None}),
                                 ("watchdog", "RID-2", [1, "é"])]


def test_loaded_records_keep_seq_stamp_and_hash_and_the_chain_continues(store: Store) -> None:
    first = seal(JournalEntry("SPAWN", lane="x", payload={"n": 1.5}), seq=1, ts_ms=111,
                 prev_hash=GENESIS_HASH)
    second = seal(JournalEntry("HALT", lease_id=9), seq=2, ts_ms=222, prev_hash=first.hash)
    with store.transaction(write=True) as tx:
        tx.load_records([first, second])
        appended = tx.append(JournalEntry("SPAWN"))
    with store.transaction(write=False) as tx:
        records = tx.journal_records()
    assert records[:2] == [first, second]
    assert appended.seq == 3
    assert appended.prev_hash == second.hash
    assert check_chain(records).ok


def test_loaded_leases_and_verdicts_keep_their_ids(store: Store) -> None:
    lease = Lease(lease_id=40, lane="src", tree=("src/**",), holder="A", mode="shared",
                  acquired_at_ms=5, renewed_at_ms=6, ttl_ms=700, released_at_ms=9,
                  release_kind="expire", host_id="h", pid=3)
    with store.transaction(write=True) as tx:
        tx.load_lease(lease)
        loaded = seal_verdict(VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli"),
                              seq=1, ts_ms=1234, prev_hash=GENESIS_HASH)
        tx.load_verdicts([loaded])
        newer = tx.insert_lease(Lease(lease_id=0, lane="docs", tree=("docs/**",), holder="B"))
        next_verdict = tx.append_verdict(
            VerdictEntry(syscall="verify", verdict="NOT_SHIPPED", source="mcp"))
    with store.transaction(write=False) as tx:
        assert tx.get_lease(40) == lease
        assert tx.verdict_records() == [loaded, next_verdict]
    assert newer.lease_id > 40
    assert (next_verdict.seq, next_verdict.prev_hash) == (2, loaded.hash)
