"""Conformance: one run's journal records, read through the store's run-id and lease-id
indexes, are exactly those the walk through the whole journal found before — over
journals with several runs, leases shared across runs (by loop identity, or a record of
one run naming another's lease), and records that name no run or no lease."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._support.fuzz import fuzz_settings

from dos.admission.lease import Lease
from dos.store import Store, StoreTx
from dos.store.journal import JournalEntry, JournalRecord
from dos.temporal import evidence
from dos.temporal.evidence import iter_run_records, run_trail

T0 = 1_767_225_600_000
RUNS = ("A", "B", "C")
LOOPS = ("", "L1", "L2")
OPS = ("ACQUIRE", "HEARTBEAT", "ATTEMPT", "SPAWN", "RELEASE")
FOREIGN = -1  # a record naming a lease id no lease has


def _old_trail(tx: StoreTx, everything: list[JournalRecord], run_id: str, *,
               lane: str = "", loop_ts: str = "",
               since_ms: int | None = None) -> list[JournalRecord]:
    """The run's records as `dos status` found them before the indexes: every record
    (since ``since_ms``) read, and filtered here."""
    ids = {lease.lease_id for lease in tx.run_leases(run_id, lane=lane, loop_ts=loop_ts)}
    return [record for record in everything
            if (since_ms is None or record.ts_ms >= since_ms)
            and ((run_id and record.run_id == run_id) or record.lease_id in ids)]


def _dicts(records: object) -> list[dict[str, object]]:
    return [record.to_dict() for record in records]  # type: ignore[attr-defined]


# A lease: (its run, its loop_ts, its lane). A record: (op, its run or "", the index of
# the lease it names, FOREIGN or None). Each batch of records shares one stamp; a question
# asks of a run with a lane and loop, since a moment at, just before or just after a stamp.
_leases = st.lists(st.tuples(st.sampled_from(("", *RUNS)), st.sampled_from(LOOPS),
                             st.sampled_from(("src", "docs"))), min_size=1, max_size=5)
_record = st.tuples(st.sampled_from(OPS), st.sampled_from(("", *RUNS)),
                    st.one_of(st.none(), st.just(FOREIGN), st.integers(0, 4)))
_batches = st.lists(st.lists(_record, min_size=2, max_size=10), min_size=2, max_size=5)
_since = st.one_of(st.none(), st.builds(lambda batch, off: T0 + 10 * batch + off,
                                        st.integers(0, 4), st.integers(-1, 1)))
_question = st.tuples(st.sampled_from(("src", "docs")), st.sampled_from(LOOPS), _since)


def _fill(store: Store, tag: str, leases: list[tuple[str, str, str]],
          batches: list[list[tuple[str, str, int | None]]]) -> int:
    """The example's leases and records; its run ids and loops are ``tag``-prefixed, so
    the records of earlier examples in the same store are other runs' (noise to the
    indexed reads, which the walk may leave out). The seq the example's records follow."""
    with store.transaction(write=True) as tx:
        head = tx.journal_records(newest_first=True, limit=1)
        ids = [tx.insert_lease(Lease(
            lease_id=0, lane=lane, tree=(f"{lane}/**",), holder="h", acquired_at_ms=T0,
            renewed_at_ms=T0, ttl_ms=1000, run_id=f"{tag}{run}" if run else "",
            loop_ts=f"{tag}{loop}" if loop else "")).lease_id for run, loop, lane in leases]
        for index, batch in enumerate(batches):
            entries = []
            for op, run, lease in batch:
                lease_id = None if lease is None else 10**12 if lease == FOREIGN else \
                    ids[lease] if lease < len(ids) else None
                entries.append(JournalEntry(op, lane="src", holder="h",
                                            run_id=f"{tag}{run}" if run else "",
                                            lease_id=lease_id))
            tx.append_many(entries, ts_ms=T0 + 10 * index)
    return head[0].seq if head else 0


@fuzz_settings(25, 300)
@given(leases=_leases, batches=_batches,
       questions=st.tuples(*(_question for _ in ("", *RUNS))),
       page=st.sampled_from((1, 2, 3, 1000)))
def test_a_runs_trail_is_what_the_whole_journal_walk_found(
        store: Store, monkeypatch: pytest.MonkeyPatch, *, leases: list[tuple[str, str, str]],
        batches: list[list[tuple[str, str, int | None]]],
        questions: tuple[tuple[str, str, int | None], ...], page: int) -> None:
    monkeypatch.setattr(evidence, "_PAGE", page)  # pages of every size, both ways
    tag = f"RID-{uuid.uuid4().hex[:8]}-"
    after = _fill(store, tag, leases, batches)
    with store.transaction(write=False) as tx:
        everything = tx.journal_records(after_seq=after, limit=10_000)
        for run, (lane, loop, since) in zip(("", *RUNS), questions, strict=True):
            rid, loop_ts = f"{tag}{run}" if run else "", f"{tag}{loop}" if loop else ""
            new = run_trail(tx, rid, lane=lane, loop_ts=loop_ts, since_ms=since)
            old = _old_trail(tx, everything, rid, lane=lane, loop_ts=loop_ts, since_ms=since)
            assert _dicts(new.records) == _dicts(old), (run, lane, loop, since)
            assert tx.run_in_journal(rid) == (bool(rid) and any(
                record.run_id == rid for record in everything))
            spawned = [record for record in everything
                       if record.op == "SPAWN" and rid and record.run_id == rid]
            assert _dicts(iter_run_records(tx, rid, op="SPAWN")) == _dicts(spawned)


def test_one_runs_records_page_in_seq_order(store: Store) -> None:
    with store.transaction(write=True) as tx:
        tx.append_many([JournalEntry("ACQUIRE", run_id="RID-1", lease_id=7),
                        JournalEntry("HEARTBEAT", lease_id=7),
                        JournalEntry("HEARTBEAT", run_id="RID-2", lease_id=8),
                        JournalEntry("ATTEMPT", run_id="RID-1"),
                        JournalEntry("SPAWN", run_id="RID-2", lease_id=7)], ts_ms=T0)
        tx.append_many([JournalEntry("HEARTBEAT", lease_id=9),
                        JournalEntry("RELEASE", run_id="RID-1", lease_id=7)], ts_ms=T0 + 10)
    with store.transaction(write=False) as tx:
        def seqs(run_id: str, **filters: object) -> list[int]:
            return [r.seq for r in tx.run_records(run_id, **filters)]  # type: ignore[arg-type]
        assert seqs("RID-1") == [1, 4, 7]
        assert seqs("RID-1", lease_ids=[7]) == [1, 2, 4, 5, 7]
        assert seqs("RID-1", lease_ids=[7, 9], after_seq=2, limit=3) == [4, 5, 6]
        assert seqs("", lease_ids=[8, 9]) == [3, 6]
        assert seqs("RID-1", lease_ids=[7], op="HEARTBEAT") == [2]
        assert seqs("RID-1", lease_ids=[7], since_ms=T0 + 1) == [7]
        assert seqs("") == []
        assert seqs("RID-3", lease_ids=[]) == []
        assert (tx.run_in_journal("RID-2"), tx.run_in_journal("RID-3"),
                tx.run_in_journal("")) == (True, False, False)
