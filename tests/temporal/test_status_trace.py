"""`dos status` (a fail-closed digest) and `dos trace` (one run joined across surfaces)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dos import config as dos_config
from dos.run_id import mint
from dos.store import writing
from dos.store.journal import JournalEntry

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the fixture's commits are dated just after


def mint_at(ms: int) -> str:
    return mint("worker", clock_ms=ms).run_id


MIN = 60_000


def _claim(workspace: Workspace, rid: str, unit: str, sha: str) -> None:
    config = dos_config.load_workspace_config(workspace.path)
    with writing(config) as tx:
        tx.append(JournalEntry("ATTEMPT", lane="main", run_id=rid,
                               payload={"unit_id": unit, "outcome": "shipped", "sha": sha}))


def test_a_step_is_verified_only_when_git_confirms_it(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    real = workspace.repo.commit("AUTH1: real work", {"auth.py": "1\n"})
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + MIN))
    _claim(workspace, rid, "AUTH1", real[:12])
    _claim(workspace, rid, "AUTH2", "0123456789abcdef")
    result = workspace.dos("status", "--run-id", rid, "--start-sha", workspace.start_sha,
                           "--json", at=T0 + 2 * MIN)
    digest = result.json()
    assert result.code == 0
    progress = digest["progress"]
    assert [step["step_id"] for step in progress["verified_steps"]] == ["AUTH1"]
    assert [step["step_id"] for step in progress["unverified_steps"]] == ["AUTH2"]
    assert digest["lease"]["run_id"] == rid
    assert digest["region"] == ["**/*"]


def test_without_any_start_nothing_is_verified(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0, extra=("--start-sha", ""))
    real = workspace.repo.commit("AUTH1: real work", {"auth.py": "1\n"})
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + MIN))
    _claim(workspace, rid, "AUTH1", real)
    result = workspace.dos("status", rid, at=T0 + 2 * MIN)
    assert "0 verified step(s)" in result.out
    assert "AUTH1 (no start SHA: git cannot confirm it)" in result.out


def test_the_lease_records_where_the_run_started(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    real = workspace.repo.commit("AUTH1: real work", {"auth.py": "1\n"})
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + MIN))
    _claim(workspace, rid, "AUTH1", real)
    result = workspace.dos("status", rid, at=T0 + 2 * MIN)
    assert "1 verified step(s) (git confirms) (AUTH1)" in result.out


def test_status_exits_on_liveness(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.heartbeat("main", "w1", at=T0 + 20 * MIN)
    spinning = workspace.dos("status", "--run-id", rid, at=T0 + 20 * MIN)
    stalled = workspace.dos("status", "--run-id", rid, at=T0 + 40 * MIN)
    assert (spinning.code, stalled.code) == (3, 4)
    assert spinning.out.startswith("SPINNING  ")
    assert "  lease        : #1 on main held by w1, live until" in spinning.out


def test_an_unreadable_store_fails_closed(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    (workspace.path / ".dos" / "dos.db").write_bytes(b"this is not a database" * 100)
    result = workspace.dos("status", "--run-id", rid, at=T0 + MIN)
    assert result.code == 74
    assert result.out == ""


def test_status_usage_errors(workspace: Workspace) -> None:
    assert workspace.dos("status").code == 2
    assert workspace.dos("status", "RID-XYZ").code == 2
    other = mint_at(T0 + 1)
    assert workspace.dos("status", mint_at(T0), "--run-id", other).code == 2


def test_trace_joins_leases_journal_and_git(workspace: Workspace) -> None:
    rid = mint_at(T0)
    other = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.heartbeat("main", "w1", at=T0 + MIN)
    workspace.dos("lease-lane", "release", "--lane", "main", "--owner", "w1", at=T0 + 2 * MIN)
    workspace.acquire("main", "w2", other, at=T0 + 3 * MIN)
    workspace.repo.commit("the run's commit", {"x.py": "1\n"})
    result = workspace.dos("trace", rid, "--start-sha", workspace.start_sha, "--json")
    trace = result.json()
    assert result.code == 0
    assert [row["op"] for row in trace["journal"]] == ["ACQUIRE", "HEARTBEAT", "RELEASE"]
    assert [c["subject"] for c in trace["git"]["commits"]] == ["the run's commit"]
    text = workspace.dos("trace", rid, "--start-sha", workspace.start_sha)
    assert "## journal (3 record(s))" in text.out
    assert "## commits since" in text.out


def test_trace_of_an_unknown_run_exits_1(workspace: Workspace) -> None:
    result = workspace.dos("trace", mint_at(T0))
    assert result.code == 1
    assert "no surface found" in result.out
    assert workspace.dos("trace", "nope").code == 2
