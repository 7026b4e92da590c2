"""Item 2 (store cells): values read back from the store that are of the wrong type or
out of range are STORE_UNREADABLE (exit 74) with a message naming the cell, never a
traceback. Real rows are corrupted behind dos's back on every backend (SQLite types
nothing, so it can hold more kinds of garbage than PostgreSQL's typed columns)."""

from __future__ import annotations

import pytest
from tests._support.postgres import PgWorkspace
from tests.store.conformance.conftest import Tamper

from dos.admission import lane_lease, mutex
from dos.admission.lease import LeaseRequest
from dos.store import writing

_DEEP = "[" * 200 + "]" * 200
_LEASE = "UPDATE leases SET {} WHERE holder = 'A';"
_PG_LEASE = "UPDATE dos_leases SET {} WHERE workspace = %(ws)s AND holder = 'A'"
_JOURNAL = "UPDATE journal SET {} WHERE seq = 1;"
_PG_JOURNAL = "UPDATE dos_journal SET {} WHERE workspace = %(ws)s AND seq = 1"
_MEMORY = "UPDATE memory SET value_json = '{}' WHERE namespace = 'mutex';"
_PG_MEMORY = ("UPDATE dos_memory SET value_json = '{}' WHERE workspace = %(ws)s "
              "AND namespace = 'mutex'")

# (what, SQLite damage or None, PostgreSQL damage or None, the verb that reads it,
# what the message names)
CASES = [
    ("text ttl", _LEASE.format("ttl_ms = 'abc'"), None, ("lease-lane", "live"),
     "(ttl_ms)"),
    ("negative time", _LEASE.format("renewed_at_ms = -5"),
     _PG_LEASE.format("renewed_at_ms = -5"), ("lease-lane", "live"), "(renewed_at_ms)"),
    ("fractional time", _LEASE.format("acquired_at_ms = 1.5"), None,
     ("lease-lane", "live"), "(acquired_at_ms)"),
    ("negative pid", _LEASE.format("pid = -1"), _PG_LEASE.format("pid = -1"),
     ("lease-lane", "live"), "(pid)"),
    ("exclusive_lane not a boolean", _LEASE.format("exclusive_lane = 7"), None,
     ("lease-lane", "live"), "(exclusive_lane)"),
    ("unknown mode", _LEASE.format("mode = 'sideways'"), None, ("lease-lane", "live"),
     "(mode)"),
    ("NaN in the tree", _LEASE.format("tree = '[NaN]'"), None, ("lease-lane", "live"),
     "(tree)"),
    ("null glob in the tree", None, _PG_LEASE.format("tree = ARRAY[NULL]::text[]"),
     ("lease-lane", "live"), "(tree)"),
    ("journal payload not an object", _JOURNAL.format("payload = '[1, 2]'"),
     _PG_JOURNAL.format("payload = '[1, 2]'"), ("journal", "tail"), "not an object"),
    ("journal payload nested too deep", _JOURNAL.format(f"""payload = '{{"a": {_DEEP}}}'"""),
     # below the point the first verify remembered: only --full reads it again
     _PG_JOURNAL.format(f"""payload = '{{"a": {_DEEP}}}'"""), ("journal", "verify", "--full"),
     "nests deeper"),
    ("journal payload with NaN", _JOURNAL.format("""payload = '{"a": NaN}'"""),
     _PG_JOURNAL.format("""payload = '{"a": NaN}'"""), ("journal", "export"),
     "non-finite"),
    ("text journal stamp", _JOURNAL.format("ts_ms = 'soon'"), None, ("journal", "tail"),
     "(ts_ms)"),
    ("negative journal stamp", _JOURNAL.format("ts_ms = -1"),
     _PG_JOURNAL.format("ts_ms = -1"), ("journal", "replay"), "(ts_ms)"),
    ("mutex state with a text time", _MEMORY.format('{"owner": "o", "acquired_ms": "x", '
                                                    '"ttl_ms": 1000, "token": 1}'),
     _PG_MEMORY.format('{"owner": "o", "acquired_ms": "x", "ttl_ms": 1000, "token": 1}'),
     ("lease", "status"), "mutex"),
    ("mutex state not an object", _MEMORY.format("[]"), _PG_MEMORY.format("[]"),
     ("lease", "status"), "mutex"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_a_damaged_cell_is_store_unreadable(
        dos_ws: PgWorkspace, tamper: Tamper,
        case: tuple[str, str | None, str | None, tuple[str, ...], str]) -> None:
    what, sqlite_damage, pg_damage, verb, named = case
    damage = pg_damage if dos_ws.url else sqlite_damage
    if damage is None:
        pytest.skip(f"this backend's column types cannot hold {what}")
    config = dos_ws.config()
    assert lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="A").acquired
    assert mutex.acquire(config, "o", retries=0).ok
    assert dos_ws.run(*verb).code == 0
    if dos_ws.url:
        tamper("", damage)
    else:
        tamper(damage, "")
    ran = dos_ws.run(*verb)
    assert ran.code == 74, (what, ran)
    assert "Traceback" not in ran.err
    assert "unreadable" in ran.err
    assert named in ran.err
    assert "fix:" in ran.err


def test_a_damaged_cell_refuses_admission_as_store_unreadable(
        dos_ws: PgWorkspace, tamper: Tamper) -> None:
    assert lane_lease.acquire(dos_ws.config(), LeaseRequest(lane="docs"), owner="A").acquired
    tamper(_LEASE.format("ttl_ms = 'abc'"), _PG_LEASE.format("renewed_at_ms = -1"))
    ran = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "src", "--owner", "B")
    assert ran.code == 74
    assert ran.json()["outcome"] == "STORE_UNREADABLE"
    assert "Traceback" not in ran.err


def test_sound_cells_read_back_unchanged(dos_ws: PgWorkspace) -> None:
    config = dos_ws.config()
    granted = lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="A", pid=7)
    with writing(config) as tx:
        tx.remember("ns", "k", {"nested": [[{"x": 1.5}]], "text": "é"})
        assert tx.recall("ns", "k") == {"nested": [[{"x": 1.5}]], "text": "é"}
    assert lane_lease.live_leases(config) == [granted.lease]
