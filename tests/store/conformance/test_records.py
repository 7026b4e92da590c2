"""Conformance: leases (fencing tokens, ending, pruning), counters, memory, verdicts,
the store's clock and writer serialisation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from dos.admission.lease import Lease
from dos.errors import StoreBusyError
from dos.store import Store
from dos.store.verdicts import VerdictEntry


def _lease(lane: str = "src", **changes: object) -> Lease:
    base = {"lease_id": 0, "lane": lane, "tree": ("src/**",), "holder": "A",
            "acquired_at_ms": 10, "renewed_at_ms": 10, "ttl_ms": 1000}
    return Lease(**{**base, **changes})  # type: ignore[arg-type]


def test_lease_ids_strictly_increase_and_are_never_reused(store: Store) -> None:
    with store.transaction(write=True) as tx:
        first = tx.insert_lease(_lease("a"))
        second = tx.insert_lease(_lease("b", mode="shared", exclusive_lane=True, pid=42,
                                        run_id="RID-X", loop_ts="L", host_id="h"))
        assert tx.end_lease(second.lease_id, at_ms=20, kind="release")
        assert tx.prune_leases(ended_before_ms=100) == 1
        third = tx.insert_lease(_lease("c"))
    assert first.lease_id < second.lease_id < third.lease_id
    assert second.mode == "shared"
    assert second.exclusive_lane
    assert second.pid == 42
    assert second.tree == ("src/**",)
    assert second.run_id == "RID-X"


def test_a_runs_leases_are_found_by_id_or_loop_identity(store: Store) -> None:
    with store.transaction(write=True) as tx:
        first = tx.insert_lease(_lease("a", run_id="RID-1", start_sha="c0ffee"))
        tx.insert_lease(_lease("b", run_id="RID-2", loop_ts="L2"))
        third = tx.insert_lease(_lease("c", loop_ts="L3"))
        fourth = tx.insert_lease(_lease("d", run_id="RID-1"))
        assert tx.end_lease(first.lease_id, at_ms=20, kind="release")
    with store.transaction(write=False) as tx:
        mine = tx.run_leases("RID-1")
        assert [lease.lease_id for lease in mine] == [first.lease_id, fourth.lease_id]
        assert mine[0].start_sha == "c0ffee"
        assert mine[0].released_at_ms == 20
        both = tx.run_leases("RID-1", lane="c", loop_ts="L3")
        assert [lease.lease_id for lease in both] == [first.lease_id, third.lease_id,
                                                      fourth.lease_id]
        assert tx.run_leases("", lane="c", loop_ts="") == []
        assert tx.run_leases("RID-9") == []


def test_end_lease_happens_once_and_leaves_the_unreleased_set(store: Store) -> None:
    with store.transaction(write=True) as tx:
        lease = tx.insert_lease(_lease())
        other = tx.insert_lease(_lease("docs"))
        assert tx.end_lease(lease.lease_id, at_ms=50, kind="expire")
        assert not tx.end_lease(lease.lease_id, at_ms=60, kind="release")
        tx.renew_lease(other.lease_id, 99)
    with store.transaction(write=False) as tx:
        assert [item.lease_id for item in tx.unreleased_leases()] == [other.lease_id]
        ended = tx.get_lease(lease.lease_id)
        assert ended is not None
        assert (ended.released_at_ms, ended.release_kind) == (50, "expire")
        assert [item.lease_id for item in tx.leases_ended_since(50)] == [lease.lease_id]
        assert tx.leases_ended_since(51) == []
        renewed = tx.get_lease(other.lease_id)
        assert renewed is not None
        assert renewed.renewed_at_ms == 99
        assert tx.get_lease(10_000) is None


def test_counters_memory_and_verdicts_round_trip(store: Store) -> None:
    with store.transaction(write=True) as tx:
        assert tx.counter("s") is None
        tx.set_counter("s", 41)
        tx.set_counter("s", 42)
        tx.remember("watchdog", "RID-1", {"proposed_ms": 5, "why": ["spin"]})
        tx.remember("watchdog", "RID-2", 7)
        tx.forget("watchdog", "RID-2")
        sealed = tx.append_verdict(VerdictEntry(syscall="verify", verdict="SHIPPED",
                                                source="cli", detail={"grade": "subject"}))
    with store.transaction(write=False) as tx:
        assert tx.counter("s") == 42
        assert tx.recall("watchdog", "RID-1") == {"proposed_ms": 5, "why": ["spin"]}
        assert tx.recall("watchdog", "RID-2") is None
        assert tx.verdict_records() == [sealed]


def test_store_clock_is_wall_time_unless_overridden(store: Store,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with store.transaction(write=True) as tx:
        assert abs(tx.now_ms() - time.time() * 1000) < 5000
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", "42")
    with store.transaction(write=False) as tx:
        assert tx.now_ms() == 42


def test_a_second_writer_waits_then_reports_busy(backend: Callable[..., Store]) -> None:
    first, second = backend(), backend(busy_timeout_ms=200)
    with first.transaction(write=True) as tx:
        tx.set_counter("x", 1)
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.transaction(write=True) as tx:
            tx.set_counter("x", 2)
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert entered.wait(5)
        started = time.monotonic()
        with pytest.raises(StoreBusyError), second.transaction(write=True) as tx:
            tx.set_counter("x", 3)
        assert time.monotonic() - started >= 0.15
        with second.transaction(write=False) as tx:  # readers are not blocked
            assert tx.counter("x") == 1
    finally:
        release.set()
        holder.join()
        first.close()
        second.close()


def test_fresh_store_passes_its_own_consistency_check(store: Store) -> None:
    assert store.integrity_problems() == []
    with store.transaction(write=True) as tx:
        tx.insert_lease(_lease())
    assert store.integrity_problems() == []


def test_only_unclean_ends_are_read_for_the_lock_delay(store: Store) -> None:
    with store.transaction(write=True) as tx:
        ids = {kind: tx.insert_lease(_lease(kind)).lease_id
               for kind in ("release", "expire", "reap", "scavenge", "old")}
        for kind in ("release", "expire", "reap", "scavenge"):
            assert tx.end_lease(ids[kind], at_ms=100, kind=kind)
        assert tx.end_lease(ids["old"], at_ms=99, kind="expire")
    with store.transaction(write=False) as tx:
        unclean = tx.leases_ended_uncleanly_since(100)
        assert [lease.lease_id for lease in unclean] == [ids["expire"], ids["reap"],
                                                         ids["scavenge"]]
        assert [lease.release_kind for lease in unclean] == ["expire", "reap", "scavenge"]
        assert [lease.lease_id for lease in tx.leases_ended_uncleanly_since(99)] == [
            ids["expire"], ids["reap"], ids["scavenge"], ids["old"]]
        assert tx.leases_ended_uncleanly_since(101) == []
