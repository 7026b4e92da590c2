"""`dos top` on each store backend, with leases taken by other `dos` processes: the
holder and its ages, FREE once released, STALLED on a stale heartbeat, a lane re-acquired
by a new holder judged on the new lease alone, and the verdicts from the verdict journal."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.postgres import LANES, PgWorkspace, write_workspace
from tests._support.verdicts import seed, verdict
from tests.store.conftest import _session_database, postgres_url  # noqa: F401 - fixtures

from dos.record.verdict_journal import read_events
from dos.store import TEST_CLOCK_ENV

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z; the repository's commits are just after
HOUR_S = "3600"


@pytest.fixture(params=["sqlite", "postgres"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[PgWorkspace, GitRepo]:
    """A git workspace with lanes, on SQLite then on PostgreSQL (no store yet)."""
    root = tmp_path / "ws"
    root.mkdir()
    toml = LANES
    found = PgWorkspace(root.resolve(), "", "")
    if request.param == "postgres":
        found = write_workspace(root, str(request.getfixturevalue("postgres_url")),
                                f"test-{uuid.uuid4().hex}")
        toml = (root / "dos.toml").read_text(encoding="utf-8")
    repo = GitRepo(root)
    repo.commit("init", {"dos.toml": toml, "README.md": "hello\n"})
    return found, repo


def _at(ms: int) -> dict[str, str]:
    return {TEST_CLOCK_ENV: str(ms)}


def _proc(ws: PgWorkspace, *args: str, at: int) -> None:
    done = ws.proc(*args, "--json", **_at(at))
    assert done.code == 0, done.err + done.out


def _top(ws: PgWorkspace, at: int) -> dict[str, Any]:
    ran = ws.run("top", "--json", **_at(at))
    assert ran.code == 0, ran.err
    payload: dict[str, Any] = ran.json()
    return payload


def _row(frame: dict[str, Any], lane: str) -> dict[str, Any]:
    (row,) = [row for row in frame["lanes"] if row["lane"] == lane]
    return row


def test_a_lease_held_by_another_process_then_released(desk: tuple[PgWorkspace, GitRepo]
                                                       ) -> None:
    ws, _repo = desk
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-A",
          "--ttl-seconds", HOUR_S, "--loop-ts", "L1", at=T0)
    frame = _top(ws, T0 + 5_000)
    row = _row(frame, "src")
    assert (row["holder"], row["chip"], row["loop_ts"]) == ("agent-A", "ADVANCING", "L1")
    assert (row["lease_age_ms"], row["heartbeat_age_ms"]) == (5_000, 5_000)
    assert "too young to judge" in row["liveness_reason"]
    assert frame["totals"] == {"lanes": 6, "advancing": 1, "spinning": 0, "stalled": 0,
                               "spawning": 0, "free": 5}
    assert frame["initialized"] is True
    _proc(ws, "lease-lane", "release", "--lane", "src", "--owner", "agent-A", at=T0 + 6_000)
    row = _row(_top(ws, T0 + 7_000), "src")
    assert (row["chip"], row["holder"], row["lease_id"]) == ("FREE", "", None)


def test_a_stale_heartbeat_is_stalled(desk: tuple[PgWorkspace, GitRepo]) -> None:
    ws, _repo = desk
    _proc(ws, "lease-lane", "acquire", "--lane", "docs", "--owner", "agent-A",
          "--ttl-seconds", HOUR_S, at=T0)
    row = _row(_top(ws, T0 + 700_000), "docs")  # past the grace, heartbeat 700 s old
    assert row["chip"] == "STALLED"
    assert row["liveness_reason"].startswith("heartbeat 700000 ms old")
    _proc(ws, "lease-lane", "heartbeat", "--lane", "docs", "--owner", "agent-A",
          at=T0 + 699_000)
    assert _row(_top(ws, T0 + 700_000), "docs")["chip"] == "SPINNING"


def test_a_lane_reacquired_by_a_new_holder_starts_fresh(desk: tuple[PgWorkspace, GitRepo]
                                                        ) -> None:
    ws, repo = desk
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-A",
          "--ttl-seconds", HOUR_S, at=T0)
    repo.commit("AUTH1: add login", {"src/login.py": "def login(): ...\n"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TEST_CLOCK_ENV, str(T0 + 30_000))
        seed(ws.config(), verdict("liveness", "ADVANCING", lane="src"))
    first = _row(_top(ws, T0 + 60_000), "src")
    assert (first["holder"], first["chip"], first["commits_since_grant"]) == \
        ("agent-A", "ADVANCING", 1)
    assert first["journaled_liveness"]["verdict"] == "ADVANCING"
    _proc(ws, "lease-lane", "release", "--lane", "src", "--owner", "agent-A", at=T0 + 61_000)
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-B",
          "--ttl-seconds", HOUR_S, at=T0 + 62_000)
    now = T0 + 62_000 + 700_000
    _proc(ws, "lease-lane", "heartbeat", "--lane", "src", "--owner", "agent-B", at=now - 5_000)
    row = _row(_top(ws, now), "src")
    # agent-A's commit (inside the window), release and verdict say nothing about agent-B.
    assert (row["holder"], row["commits_since_grant"], row["journaled_liveness"]) == \
        ("agent-B", 0, None)
    assert row["chip"] == "SPINNING", row["liveness_reason"]
    assert row["lease_id"] > first["lease_id"]


def test_recent_verdicts_are_the_verdict_journal(desk: tuple[PgWorkspace, GitRepo]) -> None:
    ws, _repo = desk
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "agent-A", at=T0)
    ws.proc("verify", "AUTH", "AUTH9", **_at(T0 + 1_000))  # NOT_SHIPPED, journaled
    frame = _top(ws, T0 + 2_000)
    journal = list(read_events(ws.config()))
    assert [(v["seq"], v["syscall"], v["verdict"]) for v in frame["verdicts"]] == \
        [(e.seq, e.syscall, e.verdict) for e in reversed(journal)]
    assert [v["syscall"] for v in frame["verdicts"]] == ["verify", "lease-lane"]
    assert frame["cursor"]["verdict_seq"] == journal[-1].seq
    assert frame["activity"][0]["subject"] == "init"
