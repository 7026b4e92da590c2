"""dos journal: tail/seq/replay read; verify finds tampering by seq; export speaks the
reference's JSONL; compact drops history without breaking the chain."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.record.journal_admin import replay, tail, verify

T0 = 1_800_000_000_000
DAY = 86_400_000


def _history(workspace: Workspace) -> None:
    config = workspace.config()
    for owner, lane in (("A", "docs"), ("B", "src"), ("C", "docs")):
        lane_lease.acquire(config, LeaseRequest(lane=lane), owner=owner, ttl_s=60)
    lane_lease.heartbeat(config, lane="src", owner="B")
    lane_lease.release(config, lane="docs", owner="A")


def test_read_verbs_create_nothing(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    assert dos_run("journal", "tail").out == "(the journal is empty)\n"
    assert dos_run("--json", "journal", "tail").json() == []
    assert dos_run("journal", "seq").out.strip() == "0"
    assert dos_run("--json", "journal", "replay").json() == []
    assert dos_run("journal", "export").out == ""
    assert dos_run("journal", "verify").code == 0
    assert not (workspace.path / ".dos").exists()


def test_tail_seq_and_replay(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    records = dos_run("--json", "journal", "tail", "2").json()
    assert [record["op"] for record in records] == ["HEARTBEAT", "RELEASE"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", records[0]["ts"])
    assert len(dos_run("--json", "journal", "tail", "0").json()) == 5
    assert len(dos_run("journal", "tail", "0").out.splitlines()) == 1 + 5  # a header line
    assert dos_run("journal", "seq").out.strip() == "5"
    assert dos_run("--json", "journal", "seq").json() == {
        "seq": 5, "schema": {"family": "journal", "version": 1}}
    replayed = dos_run("--json", "journal", "replay").json()
    assert [(item["lane"], item["holder"]) for item in replayed] == [("src", "B")]
    assert replay(workspace.config()) == lane_lease.live_leases(workspace.config())


def _raw(workspace: Workspace, *statements: str) -> None:
    conn = sqlite3.connect(workspace.store)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(("statements", "bad_seq"), [
    (("DROP TRIGGER journal_no_update",
      "UPDATE journal SET payload = '{\"reason\":\"forged\"}' WHERE seq = 3"), 3),
    (("DROP TRIGGER journal_no_update", "UPDATE journal SET holder = 'Z' WHERE seq = 2"), 2),
    (("DROP TRIGGER journal_no_update", "UPDATE journal SET ts_ms = ts_ms + 1 WHERE seq = 4"),
     4),
    (("DROP TRIGGER journal_no_delete", "DELETE FROM journal WHERE seq = 2"), 3),
])
def test_verify_names_the_first_tampered_seq(workspace: Workspace,
                                             dos_run: Callable[..., Ran],
                                             statements: tuple[str, ...], bad_seq: int) -> None:
    _history(workspace)
    assert dos_run("journal", "verify").code == 0
    _raw(workspace, *statements)
    # below the point that verify remembered (seq 5): only --full walks there again
    # (tests/store/conformance/test_journal_incremental.py shows what the default sees)
    text = dos_run("journal", "verify", "--full")
    assert text.code == 1
    assert f"first bad seq: {bad_seq}" in text.out
    report = dos_run("--json", "journal", "verify", "--full").json()
    assert report["ok"] is False
    assert report["first_bad_seq"] == bad_seq


def test_verify_catches_a_lease_table_edited_behind_the_journal(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    _raw(workspace, "UPDATE leases SET holder = 'intruder' WHERE released_at_ms IS NULL")
    report = dos_run("--json", "journal", "verify").json()
    assert report["ok"] is False
    assert report["first_bad_seq"] is None
    assert any("differs between the journal and the lease table" in p
               for p in report["problems"])


def _reference_replay(lines: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The reference's fold (keyed by loop_ts and lane), as its readers do it."""
    live: dict[tuple[str, str], dict[str, Any]] = {}
    for record in lines:
        if record["op"] == "CHECKPOINT":
            live = {(lease["loop_ts"], lease["lane"]): lease for lease in record["leases"]}
        elif record["op"] == "ACQUIRE":
            live[(record["loop_ts"], record["lane"])] = record["lease"]
        elif record["op"] in ("RELEASE", "SCAVENGE"):
            live.pop((record["loop_ts"], record["lane"]), None)
    return live


def test_export_is_the_reference_shape(workspace: Workspace, dos_run: Callable[..., Ran],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.set_toml("\n[store]\nlock_delay_s = 0\n")
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    config = workspace.config()
    lane_lease.acquire(config, LeaseRequest(lane="global"), owner="G", ttl_s=60)
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 61_000))
    _history(workspace)
    lines = dos_run("journal", "export").out.splitlines()
    records = [json.loads(line) for line in lines]
    for line, record in zip(lines, records, strict=True):
        assert line == json.dumps(record, sort_keys=True, ensure_ascii=False)
    acquire = records[0]
    assert set(acquire) == {"op", "lane", "lane_kind", "tree", "loop_ts", "host_id", "pid",
                            "ttl_minutes", "prev_holder", "reason", "lease", "seq", "ts",
                            "lease_id"}
    assert acquire["lane_kind"] == "global"
    assert acquire["reason"] == "lane-lease:G"
    assert acquire["ts"] == "2027-01-15T08:00:00Z"
    assert acquire["ttl_minutes"] == 1
    assert set(acquire["lease"]) == {"lane", "lane_kind", "tree", "loop_ts", "host_id",
                                     "pid", "holder", "acquired_at"}
    assert [r["op"] for r in records] == ["ACQUIRE", "SCAVENGE", "ACQUIRE", "ACQUIRE",
                                          "REFUSE", "HEARTBEAT", "RELEASE"]
    assert records[4]["reason_class"] == "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP"
    live = _reference_replay(records)
    ours = lane_lease.live_leases(config)
    assert sorted((lane, lease["holder"]) for (_ts, lane), lease in live.items()) == \
        sorted((lease.lane, lease.holder) for lease in ours)
    tail_only = dos_run("journal", "export", "--after-seq", "6").out.splitlines()
    assert [json.loads(line)["seq"] for line in tail_only] == [7]


def test_compact_keeps_the_chain_the_live_set_and_recent_history(
        workspace: Workspace, dos_run: Callable[..., Ran],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    config = workspace.config()
    lane_lease.acquire(config, LeaseRequest(lane="src"), owner="old-live", ttl_s=10**7)
    for index in range(30):
        lane_lease.spawn(config, lane="docs", owner="x", reason=f"old {index}")
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 40 * DAY))
    lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="new", ttl_s=10**7)
    result = dos_run("--json", "journal", "compact").json()
    assert result["entries_before"] == 32
    assert result["dropped"] == 31
    assert result["entries_after"] == 2
    assert result["anchor_seq"] == 31
    assert verify(config).ok, verify(config).to_dict()
    assert sorted(lease.holder for lease in replay(config)) == ["new", "old-live"]
    exported = [json.loads(line) for line in dos_run("journal", "export").out.splitlines()]
    assert exported[-1]["op"] == "CHECKPOINT"
    assert sorted(lease["holder"] for lease in exported[-1]["leases"]) == ["new", "old-live"]
    lane_lease.release(config, lane="src", owner="old-live")
    assert verify(config).ok
    assert [r.seq for r in tail(config, 0)] == [32, 33, 34]
    again = dos_run("--json", "journal", "compact").json()
    assert again["dropped"] == 0
    assert again["entries_after"] == 3
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 40 * DAY + 3_600_000))
    floor = dos_run("--json", "journal", "compact", "--keep-days", "0").json()
    assert floor["dropped"] == 0  # the 6-hour cooldown window is always kept
    assert verify(config).ok


def test_a_forged_anchor_is_caught(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    _raw(workspace, "INSERT INTO journal_anchor VALUES (2, 'ab', 0, 2)",
         "DELETE FROM journal WHERE seq <= 2")
    report = dos_run("--json", "journal", "verify").json()
    assert report["ok"] is False
