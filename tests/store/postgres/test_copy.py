"""`dos store copy` moves a workspace's whole history SQLite → PostgreSQL → SQLite:
the journal record for record (anchor and chain intact), leases with their fencing
tokens, counters, verdicts and memory; `dos journal verify` passes at each end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._support.postgres import LANES, PgWorkspace, write_workspace

from dos.admission import id_alloc, lane_lease
from dos.admission.lease import Lease, LeaseRequest
from dos.record.journal_checkpoint import NAMESPACE as VERIFIED_POINT
from dos.store import Store, open_store, writing
from dos.store.transfer import copy_store
from dos.store.verdicts import VerdictEntry

pytestmark = pytest.mark.postgres

_OLD_MS = 1_000_000_000_000
_DAY_MS = 86_400_000


def _sqlite_history(root: Path, monkeypatch: pytest.MonkeyPatch) -> PgWorkspace:
    """An embedded-store workspace with compacted, released, live and side data."""
    root.mkdir()
    (root / "dos.toml").write_text(LANES, encoding="utf-8")
    workspace = PgWorkspace(root.resolve(), "", "")
    config = workspace.config()
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(_OLD_MS))
    for lane, owner in (("docs", "old-A"), ("tests", "old-B")):
        assert lane_lease.acquire(config, LeaseRequest(lane=lane), owner=owner).acquired
    assert lane_lease.release(config, lane="docs", owner="old-A").released
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(_OLD_MS + 40 * _DAY_MS))
    assert workspace.run("journal", "compact", DOS_TEST_CLOCK_MS=str(_OLD_MS + 40 * _DAY_MS)
                          ).code == 0
    monkeypatch.delenv("DOS_TEST_CLOCK_MS")
    assert lane_lease.acquire(config, LeaseRequest(lane="src"), owner="live-C").acquired
    assert not lane_lease.acquire(config, LeaseRequest(lane="core"), owner="D").acquired
    # Counters move only with their journaled allocation (journal verify checks them).
    assert id_alloc.allocate(config, "phase", start=41) == 41
    assert id_alloc.allocate(config, "run", start=7) == 7
    with writing(config) as tx:
        tx.append_verdict(VerdictEntry(syscall="verify", verdict="SHIPPED", source="cli"))
        tx.append_verdict(VerdictEntry(syscall="verify", verdict="NOT_SHIPPED", source="hook",
                                       detail={"n": 2.5, "é": "✓"}))
        tx.remember("watchdog", "RID-1", {"proposed_ms": 5, "why": ["spin", "é"]})
    return workspace


def _snapshot(store: Store) -> dict[str, Any]:
    with store.transaction(write=False) as tx:
        snapshot = {
            "anchor": tx.journal_anchor(),
            "records": [record.to_dict() for record in tx.journal_records(limit=10_000)],
            "leases": sorted([*tx.unreleased_leases(), *tx.leases_ended_since(0)],
                             key=lambda lease: lease.lease_id),
            "counters": tx.counters(),
            # the point `journal verify` remembered there is not part of the history
            "memories": [item for item in tx.memories() if item[0] != VERIFIED_POINT],
            "verdict_anchor": tx.verdict_anchor(),
            "verdicts": [record.to_dict() for record in tx.verdict_records(limit=10_000)],
        }
    store.close()
    return snapshot


def test_round_trip_sqlite_postgres_sqlite_keeps_everything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str,
        workspace_id: str) -> None:
    source = _sqlite_history(tmp_path / "ws", monkeypatch)
    original = _snapshot(open_store(f"sqlite:///{source.path / '.dos' / 'dos.db'}"))
    assert original["anchor"] is not None
    # old-A was pruned by the compaction; old-B expired; live-C is live.
    assert [(lease.holder, lease.release_kind) for lease in original["leases"]] == \
        [("old-B", "expire"), ("live-C", "")]

    ran = source.run("store", "copy", "--from", "sqlite:///.dos/dos.db", "--to", postgres_url,
                      "--to-workspace-id", workspace_id, "--json")
    assert ran.code == 0, ran
    copied = ran.json()
    assert copied["verified"] is True
    assert copied["journal_records"] == len(original["records"])
    assert (copied["leases"], copied["counters"], copied["verdicts"], copied["memories"]) \
        == (2, 2, 2, 1)
    shared = write_workspace(tmp_path / "pg", postgres_url, workspace_id)
    ran = shared.run("journal", "verify")
    assert ran.code == 0, ran.out + ran.err
    assert _snapshot(open_store(postgres_url, workspace_id=workspace_id)) == original

    back = tmp_path / "back.db"
    ran = shared.run("store", "copy", "--from", postgres_url, "--to", f"sqlite:///{back}")
    assert ran.code == 0, ran
    assert "chain verified" in ran.out
    assert _snapshot(open_store(f"sqlite:///{back}")) == original
    returned = write_workspace(tmp_path / "back", f"sqlite:///{back}", "")
    ran = returned.run("journal", "verify")
    assert ran.code == 0, ran.out + ran.err

    # The shared copy keeps working, and new fencing tokens exceed every copied one.
    got = lane_lease.acquire(shared.config(), LeaseRequest(lane="docs"), owner="new")
    assert got.lease is not None
    assert got.lease.lease_id > max(lease.lease_id for lease in original["leases"])
    assert [lease.holder for lease in lane_lease.live_leases(shared.config())] == \
        ["live-C", "new"]


def test_a_non_empty_destination_needs_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             postgres_url: str, workspace_id: str) -> None:
    source = _sqlite_history(tmp_path / "ws", monkeypatch)
    args = ("store", "copy", "--from", "sqlite:///.dos/dos.db", "--to", postgres_url,
            "--to-workspace-id", workspace_id)
    assert source.run(*args).code == 0
    shared = write_workspace(tmp_path / "pg", postgres_url, workspace_id)
    assert lane_lease.acquire(shared.config(), LeaseRequest(lane="docs"),
                              owner="extra").acquired

    refused = source.run(*args)
    assert refused.code == 2
    assert "not empty" in refused.err
    assert "--force" in refused.err
    assert len(lane_lease.live_leases(shared.config())) == 2  # untouched

    forced = source.run(*args, "--force", "--json")
    assert forced.code == 0, forced
    assert forced.json()["replaced"] is True
    assert [lease.holder for lease in lane_lease.live_leases(shared.config())] == ["live-C"]
    # This checkout witnessed a longer history than the copy put back: that is what a
    # cut looks like from here, so it says so until the operator drops its old witness.
    replaced = shared.run("journal", "verify")
    assert replaced.code == 1
    assert "replaced" in replaced.out
    for head in (shared.path / ".dos").glob("journal-*.head"):
        head.unlink()
    assert shared.run("journal", "verify").code == 0

    back = tmp_path / "back.db"
    to_sqlite = ("store", "copy", "--from", postgres_url, "--to", f"sqlite:///{back}")
    assert shared.run(*to_sqlite).code == 0
    assert shared.run(*to_sqlite).code == 2
    assert shared.run(*to_sqlite, "--force").code == 0


def test_copy_refuses_a_store_onto_itself_and_a_missing_source(
        tmp_path: Path, postgres_url: str, workspace_id: str) -> None:
    shared = write_workspace(tmp_path / "pg", postgres_url, workspace_id)
    ran = shared.run("store", "copy", "--from", postgres_url, "--to", f"sqlite:///{tmp_path}/x.db")
    assert ran.code == 2
    assert "no store" in ran.err
    ran = shared.run("store", "copy", "--from", postgres_url, "--to", postgres_url)
    assert ran.code == 2
    assert "same store" in ran.err
    assert not (tmp_path / "x.db").exists()


def test_copied_tokens_stay_below_new_ones_in_a_fresh_database(
        tmp_path: Path, private_schema_url: str) -> None:
    source = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    with source.transaction(write=True) as tx:
        tx.insert_lease(Lease(lease_id=0, lane="src", tree=("src/**",), holder="A",
                              acquired_at_ms=1, renewed_at_ms=1))
    target = open_store(private_schema_url, workspace_id="ws-fresh")
    copy_store(source, target)
    with target.transaction(write=True) as tx:
        fresh = tx.insert_lease(Lease(lease_id=0, lane="docs", tree=("docs/**",),
                                      holder="B", acquired_at_ms=2, renewed_at_ms=2))
    assert [lease.lease_id for lease in _snapshot(target)["leases"]] == [1, fresh.lease_id]
    assert fresh.lease_id == 2
    source.close()
