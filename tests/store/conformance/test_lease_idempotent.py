"""Item 10: lane leases are idempotent for their holder, on every backend.

A re-acquire of a lane by the owner that holds it renews that very lease (same lease
id, new renewed_at, journaled as a HEARTBEAT) instead of refusing; a second release
answers "already released" with exit 0, as the mutex does.
"""

from __future__ import annotations

import json

import pytest
from tests._support.postgres import PgWorkspace

from dos.admission import lane_lease
from dos.record.journal_admin import tail

T0 = 1_800_000_000_000


def _at(monkeypatch: pytest.MonkeyPatch, offset_ms: int) -> None:
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + offset_ms))


def test_reacquire_by_its_holder_renews_the_same_lease(
        dos_ws: PgWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, 0)
    first = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "docs", "--owner", "A",
                       "--ttl-seconds", "60")
    assert first.code == 0, first
    _at(monkeypatch, 30_000)
    again = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "DOCS", "--owner", "A",
                       "--ttl-seconds", "60")
    assert again.code == 0, again
    granted, renewed = first.json(), again.json()
    assert renewed["lease_id"] == granted["lease_id"]
    assert (granted["renewed"], renewed["renewed"]) == (False, True)
    assert renewed["outcome"] == "acquire"
    assert renewed["expires_at_ms"] == T0 + 90_000
    assert "RENEWED" in renewed["reason"]
    [live] = lane_lease.live_leases(dos_ws.config())
    assert (live.lease_id, live.acquired_at_ms, live.renewed_at_ms) == \
        (granted["lease_id"], T0, T0 + 30_000)
    records = tail(dos_ws.config(), 0)
    assert [record.op for record in records] == ["ACQUIRE", "HEARTBEAT"]
    assert records[1].payload["via"] == "acquire"
    assert records[1].lease_id == granted["lease_id"]
    assert renewed["seq"] == records[1].seq
    assert dos_ws.run("journal", "verify").code == 0
    # Past the renewed TTL the lease is gone: a re-acquire is a new grant, not a revival.
    _at(monkeypatch, 90_000)
    fresh = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "docs", "--owner", "A")
    assert fresh.code == 0
    assert fresh.json()["renewed"] is False
    assert fresh.json()["lease_id"] > granted["lease_id"]


def test_reacquire_is_only_for_the_holder_and_the_same_request(dos_ws: PgWorkspace) -> None:
    assert dos_ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "A").code == 0
    other = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "docs", "--owner", "B")
    assert other.code == 1
    assert other.json()["renewed"] is False
    # Another tree or mode is a new request: its own lease still blocks it.
    narrower = dos_ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "A",
                          "--tree", "docs/guide/**")
    assert narrower.code == 1
    shared = dos_ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "A",
                        "--mode", "shared")
    assert shared.code == 1
    assert [record.op for record in tail(dos_ws.config(), 0)] == [
        "ACQUIRE", "REFUSE", "REFUSE", "REFUSE"]


def test_a_second_release_is_already_released(dos_ws: PgWorkspace) -> None:
    granted = dos_ws.run("--json", "lease-lane", "acquire", "--lane", "src", "--owner", "A").json()
    first = dos_ws.run("--json", "lease-lane", "release", "--lane", "src", "--owner", "A")
    assert first.code == 0
    assert first.json()["released"] is True
    for args in (("--json",), ("--output", "text"), ("--output", "plain")):
        second = dos_ws.run(*args, "lease-lane", "release", "--lane", "src", "--owner", "A")
        assert second.code == 0, second
        assert "already released" in second.out
    answer = dos_ws.run("--json", "lease-lane", "release", "--lane", "src",
                        "--owner", "A").json()
    assert (answer["released"], answer["already_released"]) == (False, True)
    assert answer["lease_id"] == granted["lease_id"]
    by_id = dos_ws.run("--json", "lease-lane", "release", "--lease-id", str(granted["lease_id"]),
                       "--owner", "A")
    assert by_id.code == 0
    assert json.loads(by_id.out)["already_released"] is True
    # Only its holder hears that: anyone else, or a lane never held, is still refused.
    assert dos_ws.run("lease-lane", "release", "--lane", "src", "--owner", "B").code == 1
    assert dos_ws.run("lease-lane", "release", "--lane", "docs", "--owner", "A").code == 1
    assert [record.op for record in tail(dos_ws.config(), 0)] == ["ACQUIRE", "RELEASE"]


def test_releasing_an_expired_lease_is_already_released(
        dos_ws: PgWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, 0)
    assert dos_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                      "--ttl-seconds", "10").code == 0
    _at(monkeypatch, 20_000)
    late = dos_ws.run("--json", "lease-lane", "release", "--lane", "src", "--owner", "A")
    assert late.code == 0
    assert "already released" in late.json()["reason"]
    assert "(expire)" in late.json()["reason"]
    assert [record.op for record in tail(dos_ws.config(), 0)] == ["ACQUIRE", "EXPIRE"]
