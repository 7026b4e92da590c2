"""Attempts are store rows: `dos attempt`, `lease-lane release --outcome`, cooldown and
the batch freshness order read them, and journal compaction keeps them (loops.md §22
items 7, 8 and 9)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from dos.api.attempts import freshness
from dos.config import load_workspace_config
from dos.store import store_for, writing
from dos.store.journal import JournalEntry

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000
HOUR = 3_600_000
DAY = 24 * HOUR
LANES = '[lanes]\nconcurrent = ["src"]\n[lanes.trees]\nsrc = ["src/**"]\n'


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    (workspace.path / "dos.toml").write_text(LANES, encoding="utf-8")
    return workspace


def test_record_and_list_attempts(ws: Workspace) -> None:
    made = ws.dos("attempt", "record", "AUTH2", "--outcome", "blocked", "--lane", "SRC",
                  "--owner", "w1", "--json", at=T0)
    assert made.code == 0, made.err
    row = made.json()
    assert (row["unit_id"], row["outcome"], row["lane"], row["holder"],
            row["attempted_at_ms"]) == ("AUTH2", "blocked", "src", "w1", T0)
    assert row["schema"]["family"] == "attempt"
    ws.dos("attempt", "record", "AUTH3", "--outcome", "shipped", at=T0 + 1)
    listed = ws.dos("attempt", "list", "--json").json()
    assert [a["unit_id"] for a in listed["attempts"]] == ["AUTH3", "AUTH2"]
    one = ws.dos("attempt", "list", "AUTH2")
    assert one.code == 0
    assert "AUTH2  blocked  lane src  by w1" in one.out
    assert "AUTH3" not in one.out


@pytest.mark.parametrize("args", [
    ["attempt", "record", "U", "--outcome", "maybe"],
    ["attempt", "record", " ", "--outcome", "error"],
    ["attempt", "record", "U", "--outcome", "error", "--lane", "nowhere"],
    ["attempt", "record", "U", "--outcome", "error", "--run-id", "../etc"],
    ["attempt", "record", "x" * 300, "--outcome", "error"],
    ["lease-lane", "release", "--lane", "src", "--owner", "w", "--outcome", "shipped"],
])
def test_bad_attempts_are_usage_errors(ws: Workspace, args: list[str]) -> None:
    result = ws.dos(*args)
    assert result.code == 2, result.out
    assert result.err.startswith("dos: error:")
    assert not (ws.path / ".dos").exists()


def test_reading_attempts_never_creates_the_store(ws: Workspace) -> None:
    assert ws.dos("attempt", "list").out.strip() == "(no attempts recorded)"
    config = load_workspace_config(ws.path)
    assert freshness(config, ["A"])["A"].freshness == "NEVER_ATTEMPTED"
    assert not (ws.path / ".dos").exists()


def test_a_release_records_the_holders_attempt(ws: Workspace) -> None:
    ws.dos("lease-lane", "acquire", "--lane", "src", "--owner", "w1", at=T0)
    done = ws.dos("lease-lane", "release", "--lane", "src", "--owner", "w1", "--outcome",
                  "drained", "--unit", "AUTH2", "--json", at=T0 + 5)
    assert done.code == 0, done.err
    assert done.json()["attempt"]["unit_id"] == "AUTH2"
    rows = ws.dos("attempt", "list", "AUTH2", "--json").json()["attempts"]
    assert [(r["outcome"], r["lane"], r["holder"]) for r in rows] == [("drained", "src", "w1")]
    held = ws.dos("cooldown", "AUTH2", "--json", at=T0 + HOUR)
    assert (held.code, held.json()["state"]) == (3, "RECENTLY_ATTEMPTED")
    text = ws.dos("lease-lane", "release", "--lane", "src", "--owner", "w1", "--outcome",
                  "shipped", "--unit", "AUTH2", at=T0 + 6)
    assert text.code == 0
    assert "already released" in text.out
    assert ws.dos("cooldown", "AUTH2", at=T0 + HOUR).code == 0  # the newest says shipped


def test_abandoned_attempts_wait_the_error_window(ws: Workspace) -> None:
    ws.dos("attempt", "record", "U", "--outcome", "abandoned", at=T0)
    assert ws.dos("cooldown", "U", at=T0 + 29 * 60_000).code == 3
    assert ws.dos("cooldown", "U", at=T0 + 30 * 60_000).code == 0


def test_compaction_keeps_attempts_so_cooldown_still_holds(ws: Workspace) -> None:
    """§22 item 9: compacting the journal used to erase every ATTEMPT."""
    ws.dos("attempt", "record", "AUTH2", "--outcome", "blocked", at=T0)
    ws.dos("lease-lane", "acquire", "--lane", "src", "--owner", "w1", at=T0)
    # compaction keeps at least the cooldown window (6 h), so it runs later than that
    compacted = ws.dos("journal", "compact", "--keep-days", "0", "--json", at=T0 + 7 * HOUR)
    assert compacted.code == 0, compacted.err
    assert compacted.json()["dropped"] >= 2
    config = load_workspace_config(ws.path)
    with writing(config) as tx:
        assert tx.journal_records(op="ATTEMPT") == []
    held = ws.dos("cooldown", "AUTH2", "--window-ms", str(10 * HOUR), "--json",
                  at=T0 + 8 * HOUR)
    assert (held.code, held.json()["count"], held.json()["last_outcome"]) == (3, 1, "blocked")
    assert freshness(config, ["AUTH2"])["AUTH2"].freshness == "ATTEMPTED"


def test_replay_and_store_agree_on_iso_stamps(ws: Workspace) -> None:
    """§22 item 7: --attempts ignored ts, and fractional or +00:00 stamps were dropped."""
    config = load_workspace_config(ws.path)
    ws.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    with writing(config) as tx:
        tx.append(JournalEntry("ATTEMPT", payload={"unit_id": "U", "outcome": "blocked"}))
    ws.monkeypatch.delenv("DOS_TEST_CLOCK_MS")
    for ts in ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.250Z",
               "2026-01-01T00:00:00+00:00", "2026-01-01T01:00:00+01:00"):
        rows = json.dumps([{"op": "ATTEMPT", "unit_id": "U", "outcome": "blocked", "ts": ts}])
        replay = ws.dos("cooldown", "U", "--attempts", rows, "--now-ms", str(T0 + HOUR),
                        "--json")
        stored = ws.dos("cooldown", "U", "--now-ms", str(T0 + HOUR), "--json")
        assert (replay.code, stored.code) == (3, 3), ts
        assert abs(replay.json()["until_ms"] - stored.json()["until_ms"]) < 1000, ts


@pytest.mark.parametrize(("rows", "code"), [
    # a journal dump: the RELEASE is not an attempt, in cooldown as in any other reader
    ([{"op": "RELEASE", "unit_id": "U", "attempted_at_ms": T0}], 0),
    ([{"op": "attempt", "unit_id": "U", "outcome": "error", "attempted_at_ms": T0}], 3),
    # a newer journal schema cannot be read soundly: an error, not an attempt or nothing
    ([{"op": "ATTEMPT", "unit_id": "U", "attempted_at_ms": T0,
       "schema": {"family": "lane-journal", "version": 99}}], 2),
    # an unreadable stamp is an error, never "never attempted"
    ([{"op": "ATTEMPT", "unit_id": "U", "ts": "yesterday"}], 2),
])
def test_replay_rows_are_read_one_way(ws: Workspace, rows: list[dict[str, object]],
                                      code: int) -> None:
    """§22 item 8: replay counted RELEASE and version-99 rows and turned unreadable
    stamps into NEVER_ATTEMPTED."""
    result = ws.dos("cooldown", "U", "--attempts", json.dumps(rows), "--now-ms",
                    str(T0 + 60_000))
    assert result.code == code, result.err


def test_freshness_ranks_many_units_from_one_query(ws: Workspace) -> None:
    """§22 item 8: one unit per process, the whole journal re-read for each."""
    config = load_workspace_config(ws.path)
    with writing(config) as tx:
        for index in range(300):
            tx.append(JournalEntry("HEARTBEAT", payload={"n": index}))
    for unit, at in (("B", T0 + 10), ("A", T0 + 20), ("B", T0 + 30)):
        ws.dos("attempt", "record", unit, "--outcome", "drained", at=at)
    units = [f"U{i}" for i in range(500)] + ["A", "B"]
    statements: list[str] = []
    store = store_for(config)
    store.close()
    import sqlite3

    real_connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(statements.append)
        return conn

    ws.monkeypatch.setattr("dos.store.sqlite.sqlite3.connect", traced)
    ranked = freshness(config, units)
    queries = [s for s in statements if "FROM attempts" in s]
    assert len(queries) == 2  # 502 units, 500 per statement
    assert all("journal" not in s for s in queries)
    order = sorted(units, key=lambda unit: ranked[unit].sort_key)
    assert order[-2:] == ["A", "B"]  # attempted last, least recently first
    assert (ranked["B"].attempts, ranked["B"].last_attempt_ms) == (2, T0 + 30)
    assert ranked["U7"].to_dict()["sort_key"] == [0, 0]
