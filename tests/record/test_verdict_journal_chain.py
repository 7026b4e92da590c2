"""The verdict journal's chain under load and under attack, on both stores: concurrent
processes get unique, gap-free seqs; a record changed, deleted from the middle or cut
from the end makes ``dos observe`` exit 1; retention keeps the chain verifiable."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests._support.postgres import PgWorkspace, child_env

from dos.record import verdict_verify
from dos.record.verdict_checkpoint import Checkpoint
from dos.record.verdict_journal import read_events
from dos.store import reading, store_for
from dos.store.journal import check_chain

_CHILD = """
import sys
from dos.cli import main
workspace, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    argv = (["breaker", "--consecutive", str(n % 4), "--total", "9"] if n % 2 else
            ["lease-lane", "acquire", "--lane", "docs", "--owner", f"w{sys.argv[3]}-{n}"])
    main(["--workspace", workspace, *argv])
"""


def _fill(ws: PgWorkspace, count: int) -> None:
    for n in range(count):
        assert ws.run("breaker", "--consecutive", str(n % 5), "--total", "9").code in (0, 3)


def _tamper(ws: PgWorkspace, statement: str) -> None:
    """Change the verdict journal behind dos's back, past its append-only triggers."""
    if ws.url:
        with psycopg.connect(ws.url, autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute(statement.replace("verdict_journal", "dos_verdict_journal")
                         .replace("WHERE", "WHERE workspace = %(ws)s AND"),
                         {"ws": ws.workspace_id})
        return
    conn = sqlite3.connect(ws.path / ".dos" / "dos.db")
    try:
        with conn:
            conn.execute("DROP TRIGGER IF EXISTS verdict_journal_no_update")
            conn.execute("DROP TRIGGER IF EXISTS verdict_journal_no_delete")
            conn.execute(statement)
    finally:
        conn.close()


def test_eight_processes_journal_unique_gap_free_seqs(both_ws: PgWorkspace) -> None:
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "first").code == 0
    children = [subprocess.Popen([sys.executable, "-c", _CHILD, str(both_ws.path), "12",
                                  str(n)], env=child_env(), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True) for n in range(8)]
    errors = [child.communicate(timeout=300)[1] for child in children]
    assert all(child.returncode == 0 for child in children), errors
    assert not any("warning" in err for err in errors), errors  # no append was lost
    events = list(read_events(both_ws.config()))
    assert [event.seq for event in events] == list(range(1, 1 + 1 + 8 * 12))
    with reading(both_ws.config()) as tx:
        assert tx is not None
        records = tx.verdict_records(limit=1000)
    assert check_chain(records).ok
    observed = both_ws.run("observe", "--verify-all", "--json")
    assert observed.code == 0, observed
    assert observed.json()["chain"]["records"] == 97


@pytest.mark.parametrize(("statement", "bad_seq", "says"), [
    ("UPDATE verdict_journal SET verdict = 'OPEN' WHERE seq = 4", 4, "was altered"),
    ("UPDATE verdict_journal SET detail = '{\"total\":1}' WHERE seq = 4", 4, "was altered"),
    ("UPDATE verdict_journal SET ts_ms = ts_ms + 1 WHERE seq = 4", 4, "was altered"),
    ("DELETE FROM verdict_journal WHERE seq = 4", 4, "seq 4 is missing"),
    ("UPDATE verdict_journal SET prev_hash = hash WHERE seq = 4", 4, "does not link"),
], ids=["verdict", "detail", "stamp", "middle-delete", "relinked"])
def test_a_changed_or_deleted_record_makes_observe_exit_1(
        both_ws: PgWorkspace, statement: str, bad_seq: int, says: str) -> None:
    _fill(both_ws, 1)
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    _fill(both_ws, 6)
    assert both_ws.run("observe").code == 0  # witnessed intact first
    _tamper(both_ws, statement)
    ran = both_ws.run("observe")
    assert ran.code == 1, ran
    assert f"chain BROKEN at seq {bad_seq}" in ran.out
    assert says in ran.out
    broken = both_ws.run("observe", "--json").json()
    assert (broken["chain"]["ok"], broken["chain"]["first_bad_seq"], broken["corrupt"]) == \
        (False, bad_seq, 1)


def test_a_journal_cut_below_what_was_verified_makes_observe_exit_1(
        both_ws: PgWorkspace) -> None:
    _fill(both_ws, 1)
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    _fill(both_ws, 4)
    assert both_ws.run("observe").code == 0
    _tamper(both_ws, "DELETE FROM verdict_journal WHERE seq >= 5")
    ran = both_ws.run("observe")
    assert ran.code == 1
    assert "the records after seq 4 are gone" in ran.out


def _ticking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each look at the clock moves it one second: a budget of N seconds re-hashes
    about N batches, whatever the machine's speed."""
    clock = itertools.count()
    monkeypatch.setattr(verdict_verify, "monotonic", lambda: float(next(clock)))
    monkeypatch.setattr(verdict_verify, "_BATCH", 5)
    monkeypatch.setattr(verdict_verify, "MIN_REHASH_S", 0.0)


def _check(ws: PgWorkspace, checkpoint: Checkpoint | None,
           budget_s: float) -> tuple[verdict_verify.ChainCheck, Checkpoint | None]:
    store = store_for(ws.config())
    try:
        with store.transaction(write=False) as tx:
            return verdict_verify.check_verdict_chain(tx, checkpoint, store="s",
                                                      budget_s=budget_s)
    finally:
        store.close()


def _runs(ws: PgWorkspace, checkpoint: Checkpoint | None, budget_s: float
          ) -> Iterator[tuple[verdict_verify.ChainCheck, Checkpoint | None]]:
    while True:
        check, checkpoint = _check(ws, checkpoint, budget_s)
        yield check, checkpoint
        if checkpoint is None:
            return


def test_the_budget_advances_the_checkpoint_then_sweeps_every_old_record(
        fresh_ws: PgWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fresh_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    _fill(fresh_ws, 39)  # 40 records, 8 batches
    _ticking(monkeypatch)
    runs = _runs(fresh_ws, None, budget_s=3.5)  # two looks before the loop: two batches
    first, checkpoint = next(runs)
    assert first.ok
    assert first.rehashed == [(1, 10)]
    assert first.unhashed == 30  # reported, not failed: the next runs go on
    for _ in range(3):
        check, checkpoint = next(runs)
    assert checkpoint is not None
    assert (check.unhashed, checkpoint.seq) == (0, 40)
    _tamper(fresh_ws, "UPDATE verdict_journal SET verdict = 'OPEN' WHERE seq = 3")
    # Content-only: every link still holds, so only the sweep over old records finds it.
    found = [check for check, _ in itertools.islice(runs, 6) if not check.ok]
    assert found
    assert found[0].first_bad_seq == 3
    assert "altered" in found[0].problem


def test_with_no_time_left_nothing_is_rehashed_and_nothing_is_claimed(
        fresh_ws: PgWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verdict_verify, "MIN_REHASH_S", 0.0)
    assert fresh_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    _fill(fresh_ws, 3)
    check, checkpoint = _check(fresh_ws, None, budget_s=0.0)
    assert check.ok
    assert (check.rehashed, check.unhashed, check.records) == ([], 4, 4)
    assert checkpoint is not None
    assert checkpoint.seq == 0  # nothing was re-hashed, so nothing is witnessed


def test_retention_drops_old_verdicts_behind_a_sealed_checkpoint(both_ws: PgWorkspace) -> None:
    old = int(time.time() * 1000) - 10 * 86_400_000
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                       DOS_TEST_CLOCK_MS=str(old)).code == 0
    for _ in range(3):
        both_ws.run("breaker", "--consecutive", "3", "--total", "4", DOS_TEST_CLOCK_MS=str(old))
    both_ws.run("breaker", "--consecutive", "0", "--total", "4")
    toml = both_ws.path / "dos.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[observe]\nkeep_days = 7\n",
                    encoding="utf-8")
    compacted = both_ws.run("journal", "compact", "--json")
    assert compacted.code == 0, compacted
    assert (compacted.json()["verdicts_dropped"], compacted.json()["verdict_anchor_seq"]) == \
        (4, 4)
    events = list(read_events(both_ws.config()))
    assert [(e.seq, e.syscall, e.verdict) for e in events] == [
        (5, "breaker", "CLOSED"), (6, "journal-compact", "COMPACTED")]
    assert events[1].detail["through_seq"] == 4
    observed = both_ws.run("observe", "--verify-all")
    assert observed.code == 0, observed
    assert "seq 5..6 linked" in observed.out
    assert both_ws.run("journal", "compact", "--json").json()["verdicts_dropped"] == 0
    _tamper(both_ws, "DELETE FROM verdict_journal WHERE seq = 5")
    assert both_ws.run("observe").code == 1


def test_store_copy_carries_the_verdict_journal_and_its_anchor(
        both_ws: PgWorkspace, tmp_path: Path) -> None:
    old = int(time.time() * 1000) - 10 * 86_400_000
    assert both_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A",
                       DOS_TEST_CLOCK_MS=str(old)).code == 0
    both_ws.run("breaker", "--consecutive", "3", "--total", "4")
    toml = both_ws.path / "dos.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[observe]\nkeep_days = 7\n",
                    encoding="utf-8")
    assert both_ws.run("journal", "compact").code == 0
    source = both_ws.url or "sqlite:///.dos/dos.db"
    copy = tmp_path / "copy.db"
    ran = both_ws.run("store", "copy", "--from", source, "--to", f"sqlite:///{copy}", "--json")
    assert ran.code == 0, ran
    assert ran.json()["verdicts"] == 2
    original = [e.to_json() for e in read_events(both_ws.config())]
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "dos.toml").write_text(f'[store]\nurl = "sqlite:///{copy}"\n', encoding="utf-8")
    mirror = PgWorkspace(moved, "", "")
    assert [e.to_json() for e in read_events(mirror.config())] == original
    with reading(mirror.config()) as tx:
        assert tx is not None
        assert tx.verdict_anchor() is not None
        assert tx.verdict_anchor().seq == 1  # type: ignore[union-attr]
    assert mirror.run("observe", "--verify-all").code == 0


def test_a_spent_budget_still_rehashes_for_a_tenth_of_a_second(fresh_ws: PgWorkspace) -> None:
    assert fresh_ws.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    _fill(fresh_ws, 3)
    check, checkpoint = _check(fresh_ws, None, budget_s=0.0)
    assert check.rehashed == [(1, 4)]  # a slow rollup never starves the chain check
    assert checkpoint is not None
    assert checkpoint.seq == 4
