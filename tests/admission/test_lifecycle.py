"""A lease's life by the store's clock: release and heartbeat by the exact holder,
expiry that never blocks, lock-delay after an unclean end, reaping, fencing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.admission.reasons import registry
from dos.record.journal_admin import tail, verify

T0 = 1_800_000_000_000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the store's clock to T0 + offset ms."""
    def at(offset_ms: int) -> None:
        monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + offset_ms))
    at(0)
    return at


def _take(workspace: Workspace, owner: str, lane: str = "docs",
          ttl_s: float = 60) -> lane_lease.LeaseResult:
    return lane_lease.acquire(workspace.config(), LeaseRequest(lane=lane), owner=owner,
                              ttl_s=ttl_s)


def test_release_only_by_the_exact_holder(workspace: Workspace,
                                          dos_run: Callable[..., Ran]) -> None:
    assert _take(workspace, "A").acquired
    other = dos_run("lease-lane", "release", "--json", "--lane", "docs", "--owner", "B")
    assert other.code == 1
    assert other.json()["released"] is False
    assert "held by A" in other.json()["reason"]
    blank = dos_run("lease-lane", "release", "--json", "--lane", "docs", "--owner", "")
    assert blank.code == 2
    assert [lease.holder for lease in lane_lease.live_leases(workspace.config())] == ["A"]
    mine = dos_run("lease-lane", "release", "--json", "--lane", "DOCS", "--owner", "A")
    assert mine.code == 0
    assert mine.json()["released"] is True
    assert lane_lease.live_leases(workspace.config()) == []
    assert [r.op for r in tail(workspace.config(), 0)] == ["ACQUIRE", "RELEASE"]


def test_release_by_alias_and_by_lease_id(workspace: Workspace) -> None:
    config = workspace.config()
    granted = _take(workspace, "A", lane="src")
    assert lane_lease.release(config, lane="Frontend", owner="A").released
    again = _take(workspace, "A", lane="src")
    assert again.lease is not None
    assert granted.lease is not None
    assert not lane_lease.release(config, lease_id=granted.lease.lease_id, owner="A").released
    assert lane_lease.release(config, lease_id=again.lease.lease_id, owner="A").released


def test_expired_lease_never_blocks_and_is_recorded_once(
        workspace: Workspace, clock: Callable[[int], None]) -> None:
    workspace.set_toml("\n[store]\nlock_delay_s = 0\n")
    assert _take(workspace, "A", ttl_s=60).acquired
    clock(59_999)
    assert [lease.holder for lease in lane_lease.live_leases(workspace.config())] == ["A"]
    assert not _take(workspace, "B").acquired
    clock(60_000)
    assert lane_lease.live_leases(workspace.config()) == []  # a read writes nothing
    assert [r.op for r in tail(workspace.config(), 0)] == ["ACQUIRE", "REFUSE"]
    taken = _take(workspace, "B")
    assert taken.acquired, taken.decision.reason
    ops = [r.op for r in tail(workspace.config(), 0)]
    assert ops == ["ACQUIRE", "REFUSE", "EXPIRE", "ACQUIRE"]
    expire = tail(workspace.config(), 0)[2]
    assert expire.holder == "A"
    assert expire.payload["ended_at_ms"] == T0 + 60_000
    assert verify(workspace.config()).ok


def test_heartbeat_extends_life_but_cannot_revive(
        workspace: Workspace, clock: Callable[[int], None],
        dos_run: Callable[..., Ran]) -> None:
    assert _take(workspace, "A", ttl_s=60).acquired
    clock(50_000)
    assert dos_run("lease-lane", "heartbeat", "--json", "--lane", "docs", "--owner", "B").code == 1
    beat = dos_run("lease-lane", "heartbeat", "--json", "--lane", "docs", "--owner", "A")
    assert beat.code == 0
    assert beat.json()["expires_at_ms"] == T0 + 110_000
    clock(100_000)
    assert lane_lease.live_leases(workspace.config())[0].renewed_at_ms == T0 + 50_000
    coalesced = lane_lease.heartbeat(workspace.config(), lane="docs", owner="A",
                                     coalesce_within_s=30)
    assert coalesced.beat
    assert coalesced.reason == ""
    quiet = lane_lease.heartbeat(workspace.config(), lane="docs", owner="A",
                                 coalesce_within_s=60)
    assert quiet.beat
    assert quiet.reason == "coalesced"
    clock(200_000)
    late = dos_run("lease-lane", "heartbeat", "--json", "--lane", "docs", "--owner", "A")
    assert late.code == 1
    assert late.json()["beat"] is False
    assert [r.op for r in tail(workspace.config(), 0)][-1] == "EXPIRE"


def test_lock_delay_after_an_unclean_end(workspace: Workspace,
                                         clock: Callable[[int], None]) -> None:
    workspace.set_toml("\n[store]\nlock_delay_s = 15\n")
    assert _take(workspace, "A", ttl_s=60).acquired
    clock(61_000)  # expired at 60 s; delayed until 75 s
    refused = _take(workspace, "B")
    assert not refused.acquired
    assert refused.decision.reason_class == "LOCK_DELAY"
    assert "ended uncleanly (expire)" in refused.decision.reason
    assert registry(workspace.config()).is_refusal("LOCK_DELAY")
    assert registry(workspace.config()).category_for("LOCK_DELAY") == "STALE_CLAIM"
    bare = lane_lease.acquire(workspace.config(), LeaseRequest(), owner="B")
    assert bare.acquired
    assert bare.lease is not None
    assert bare.lease.lane == "tests"
    clock(74_999)
    assert _take(workspace, "C").decision.reason_class == "LOCK_DELAY"
    clock(75_000)
    assert _take(workspace, "C").acquired


def test_lock_delay_spares_the_old_holder_and_clean_releases(
        workspace: Workspace, clock: Callable[[int], None]) -> None:
    assert _take(workspace, "A", ttl_s=60).acquired
    clock(61_000)
    assert _take(workspace, "A").acquired  # the old holder may take its tree back
    config = workspace.config()
    assert lane_lease.release(config, lane="docs", owner="A").released
    assert _take(workspace, "B").acquired  # a clean release has no delay


def test_reap_ends_expired_leases_and_a_named_live_one_only_with_force(
        workspace: Workspace, clock: Callable[[int], None],
        dos_run: Callable[..., Ran]) -> None:
    old = _take(workspace, "A", lane="docs", ttl_s=10).lease
    live = _take(workspace, "B", lane="src", ttl_s=600).lease
    assert old is not None
    assert live is not None
    clock(12_000)
    graced = dos_run("lease-lane", "reap", "--json", "--grace-seconds", "5")
    assert graced.code == 0
    assert graced.json()["reaped"] == []
    reaped = dos_run("lease-lane", "reap", "--json")
    assert [item["lease_id"] for item in reaped.json()["reaped"]] == [old.lease_id]
    refused = dos_run("lease-lane", "reap", "--json", "--lease-id", str(live.lease_id))
    assert refused.code == 1
    assert "pass --force" in refused.json()["reason"]
    forced = dos_run("lease-lane", "reap", "--json", "--lease-id", str(live.lease_id), "--force",
                     "--owner", "operator")
    assert forced.code == 0
    assert lane_lease.live_leases(workspace.config()) == []
    reaps = [r for r in tail(workspace.config(), 0) if r.op == "REAP"]
    assert [(r.lease_id, r.payload["by"]) for r in reaps][-1] == (live.lease_id, "operator")
    assert verify(workspace.config()).ok


def test_fencing_tokens_strictly_increase(workspace: Workspace,
                                          clock: Callable[[int], None]) -> None:
    config = workspace.config()
    tokens = []
    for step in range(6):
        clock(step * 1000)
        result = _take(workspace, f"o{step}", lane=("docs", "src", "tests")[step % 3])
        assert result.lease is not None
        tokens.append(result.lease.lease_id)
        assert lane_lease.release(config, lease_id=result.lease.lease_id,
                                  owner=f"o{step}").released
    assert tokens == sorted(tokens)
    assert len(set(tokens)) == len(tokens)
