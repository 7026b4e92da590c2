"""Item 11: the journal's head is anchored outside the store's tables, on every backend.

Cutting the chain's tail, deleting the last ACQUIRE together with its lease row,
rewriting the chain, or rolling a counter back is found by ``dos journal verify``
(exit 1, saying what is wrong). A missing anchor is a warning, and the next write
creates it. The anchor never goes backwards, however many writers race.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.postgres import PgWorkspace
from tests.store.conformance.conftest import Tamper, head_file

from dos.admission import id_alloc, lane_lease
from dos.admission.lease import LeaseRequest
from dos.record.journal_admin import tail
from dos.record.journal_verify import verify_store
from dos.store import Store
from dos.store.head import Head, advance_head, read_head
from dos.store.journal import JournalEntry, record_hash


def _history(workspace: PgWorkspace) -> None:
    """Two leases granted: ACQUIRE records at seq 1 and 2."""
    config = workspace.config()
    for owner, lane in (("A", "docs"), ("B", "src")):
        assert lane_lease.acquire(config, LeaseRequest(lane=lane), owner=owner).acquired


def _verify(workspace: PgWorkspace) -> tuple[int, str, dict[str, object]]:
    text = workspace.run("journal", "verify")
    report = workspace.run("--json", "journal", "verify")
    assert report.code == text.code
    return text.code, text.out + text.err, report.json()


def test_the_head_is_witnessed_beside_the_store_after_each_commit(
        dos_ws: PgWorkspace) -> None:
    _history(dos_ws)
    head = read_head(str(head_file(dos_ws)))
    newest = dos_ws.run("--json", "journal", "seq").json()["seq"]
    assert head is not None
    assert head.seq == newest == 2
    code, _out, report = _verify(dos_ws)
    assert code == 0
    assert report["head_anchor"] == {"path": str(head_file(dos_ws)), "seq": 2,
                                     "hash": head.hash}
    assert report["warnings"] == []


def test_a_cut_tail_is_found(dos_ws: PgWorkspace, tamper: Tamper) -> None:
    """Deleting the last ACQUIRE together with its lease row leaves a sound chain and
    a lease table that agrees with it: only the anchor outside knows."""
    _history(dos_ws)
    assert _verify(dos_ws)[0] == 0
    tamper("DELETE FROM journal WHERE seq = 2; DELETE FROM leases WHERE holder = 'B';",
           "DELETE FROM dos_journal WHERE workspace = %(ws)s AND seq = 2; "
           "DELETE FROM dos_leases WHERE workspace = %(ws)s AND holder = 'B'")
    code, out, report = _verify(dos_ws)
    assert code == 1
    assert "ends at seq 1" in out
    assert "witnessed seq 2" in out
    assert "cut from its tail" in out
    assert report["ok"] is False
    assert report["first_bad_seq"] is None  # the chain itself still links


def test_a_rewritten_chain_is_found(dos_ws: PgWorkspace, tamper: Tamper) -> None:
    """The last record forged and re-hashed: every link checks, the anchor does not."""
    _history(dos_ws)
    [last] = [record for record in tail(dos_ws.config(), 0) if record.seq == 2]
    forged = record_hash(last.prev_hash, {**last.hashed_fields(), "holder": "Z"})
    tamper(f"UPDATE journal SET holder = 'Z', hash = '{forged}' WHERE seq = 2;",  # noqa: S608 - a test's own tampering
           f"UPDATE dos_journal SET holder = 'Z', hash = '{forged}' "  # noqa: S608
           "WHERE workspace = %(ws)s AND seq = 2")
    code, out, report = _verify(dos_ws)
    assert code == 1
    assert "does not match the hash its head anchor" in out
    assert report["first_bad_seq"] is None


def test_a_rolled_back_or_missing_counter_is_found(dos_ws: PgWorkspace,
                                                   tamper: Tamper) -> None:
    config = dos_ws.config()
    assert [id_alloc.allocate(config, "ticket") for _ in range(3)] == [1, 2, 3]
    assert _verify(dos_ws)[0] == 0
    tamper("UPDATE counters SET value = 2 WHERE scope = 'ticket';",
           "UPDATE dos_counters SET value = 2 WHERE workspace = %(ws)s AND scope = 'ticket'")
    code, out, _report = _verify(dos_ws)
    assert code == 1
    assert "counter 'ticket' holds 2 but the journal's last allocation of it is 3" in out
    assert "rolled back" in out
    tamper("DELETE FROM counters WHERE scope = 'ticket';",
           "DELETE FROM dos_counters WHERE workspace = %(ws)s AND scope = 'ticket'")
    code, out, _report = _verify(dos_ws)
    assert code == 1
    assert "counter 'ticket' is missing" in out


def test_a_counter_set_outside_dos_is_found(dos_ws: PgWorkspace, tamper: Tamper) -> None:
    assert id_alloc.allocate(dos_ws.config(), "ticket") == 1
    tamper("INSERT INTO counters (scope, value, updated_ms) VALUES ('ghost', 9, 0);",
           "INSERT INTO dos_counters (workspace, scope, value, updated_ms) "
           "VALUES (%(ws)s, 'ghost', 9, 0)")
    code, out, _report = _verify(dos_ws)
    assert code == 1
    assert "counter 'ghost' holds 9 but the journal records no allocation" in out


def test_counters_stay_checkable_after_a_compaction(
        dos_ws: PgWorkspace, tamper: Tamper, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", "1000000000000")
    assert [id_alloc.allocate(dos_ws.config(), "ticket") for _ in range(2)] == [1, 2]
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(1_000_000_000_000 + 40 * 86_400_000))
    compacted = dos_ws.run("--json", "journal", "compact", "--keep-days", "1")
    assert json.loads(compacted.out)["dropped"] == 2
    assert _verify(dos_ws)[0] == 0
    tamper("UPDATE counters SET value = 1 WHERE scope = 'ticket';",
           "UPDATE dos_counters SET value = 1 WHERE workspace = %(ws)s AND scope = 'ticket'")
    code, out, _report = _verify(dos_ws)
    assert code == 1
    assert "rolled back" in out


def test_a_missing_anchor_is_a_warning_and_the_next_write_restores_it(
        dos_ws: PgWorkspace) -> None:
    _history(dos_ws)
    head_file(dos_ws).unlink()
    text = dos_ws.run("journal", "verify")
    assert text.code == 0
    assert "warning:" in text.err
    assert "no anchor outside the store" in text.err
    report = dos_ws.run("--json", "journal", "verify").json()
    assert report["ok"] is True
    assert report["head_anchor"] is None
    assert any("no anchor outside the store" in warning for warning in report["warnings"])
    assert id_alloc.allocate(dos_ws.config(), "ticket") == 1
    head = read_head(str(head_file(dos_ws)))
    assert head is not None
    assert head.seq == 3
    assert dos_ws.run("--json", "journal", "verify").json()["warnings"] == []


def test_a_damaged_anchor_is_reported_not_trusted(dos_ws: PgWorkspace) -> None:
    _history(dos_ws)
    head_file(dos_ws).write_text("{not json", encoding="utf-8")
    code, out, _report = _verify(dos_ws)
    assert code == 1
    assert "is unreadable" in out
    assert id_alloc.allocate(dos_ws.config(), "ticket") == 1  # a valid head replaces it
    assert _verify(dos_ws)[0] == 0


def test_read_and_rolled_back_transactions_never_move_the_head(store: Store) -> None:
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN", lane="a"))
    assert store.head_path is not None
    before = Path(store.head_path).read_bytes()
    with store.transaction(write=False) as tx:
        assert tx.journal_count() == 1

    def abandoned() -> None:
        with store.transaction(write=True) as tx:
            tx.append(JournalEntry("SPAWN", lane="b"))
            raise RuntimeError("abandon")

    with pytest.raises(RuntimeError):
        abandoned()
    assert Path(store.head_path).read_bytes() == before
    head = read_head(store.head_path)
    assert head is not None
    assert head.seq == 1


def test_the_head_never_goes_backwards(store: Store, backend: Callable[..., Store]) -> None:
    """Writers race (each with its own connection); whatever order their commits and
    their head writes land in, the anchor ends at the journal's last record."""
    with store.transaction(write=True) as tx:
        tx.append(JournalEntry("SPAWN", lane="seed"))
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        handle = backend(busy_timeout_ms=60_000)
        try:
            for step in range(15):
                with handle.transaction(write=True) as tx:
                    tx.append(JournalEntry("SPAWN", lane=f"w{index}-{step}"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            handle.close()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with store.transaction(write=False) as tx:
        newest = tx.journal_records(limit=1, newest_first=True)[0]
    assert store.head_path is not None
    assert read_head(store.head_path) == Head(store.head_store, newest.seq, newest.hash)
    # A late writer with an older head leaves the newer one alone.
    advance_head(store.head_path, Head(store.head_store, 2, "0" * 64))
    assert read_head(store.head_path) == Head(store.head_store, newest.seq, newest.hash)
    assert verify_store(store).ok
