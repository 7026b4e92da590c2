"""`dos memory verify --route` on SQLite and PostgreSQL: a STALE note becomes one HUMAN row
of the default `dos decisions` queue naming the culprit claim and the ground truth; a
sweep that finds the same again appends nothing; a note that turned FRESH, left the store
or went stale for another reason has its row closed by a journaled DECIDE (and the new
finding routed); the operator resolves a row like any other; UNVERIFIABLE notes never
reach the queue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.postgres import PgWorkspace

from dos.record.decisions.memory import Finding, Routed, memory_row
from dos.record.decisions.memory_plan import Settle, settle_entry
from dos.record.notify_fold import decisions_note
from dos.record.projects.history import ops_event
from dos.store import TEST_CLOCK_ENV, reading
from dos.store.journal import JournalRecord

NOTES = {"fresh.md": "src/a.py holds x.\n", "stale.md": "src/b.py holds the parser.\n",
         "opinion.md": "Small modules read better.\n"}
DAY_MS = 86_400_000


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    store = tmp_path / "notes"
    store.mkdir()
    for name, text in NOTES.items():
        (store / name).write_text(text, encoding="utf-8")
    return store


def _sweep(ws: PgWorkspace, notes: Path, code: int = 3, **env: str) -> dict[str, Any]:
    ran = ws.run("--json", "memory", "verify", "--store", str(notes), "--route", **env)
    assert ran.code == code, ran
    answer: dict[str, Any] = json.loads(ran.out)
    assert answer["schema"] == {"family": "memory", "version": 1}
    return answer


def _rows(ws: PgWorkspace, *flags: str, **env: str) -> list[dict[str, Any]]:
    ran = ws.run("--json", "decisions", *flags, **env)
    assert ran.code == 0, ran
    rows: list[dict[str, Any]] = ran.json()["rows"]
    return rows


def _records(ws: PgWorkspace) -> list[tuple[str, str]]:
    """Every ops record as (op, what it is about)."""
    with reading(ws.config()) as tx:
        assert tx is not None
        return [(r.op, str(r.payload.get("subject", ""))) for r in tx.journal_records()]


def _first_ts_ms(ws: PgWorkspace) -> int:
    with reading(ws.config()) as tx:
        assert tx is not None
        return tx.journal_records(limit=1)[0].ts_ms


def _commit(ws: PgWorkspace, subject: str, files: dict[str, str]) -> None:
    GitRepo(ws.path).commit(subject, files)


def test_a_stale_note_reaches_the_default_queue_once(both_ws: PgWorkspace,
                                                     notes: Path) -> None:
    first = _sweep(both_ws, notes)
    stale = str(notes / "stale.md")
    assert [(n["memory"], n["verdict"]) for n in first["notes"]] == [
        ("stale", "RECALL_STALE"), ("opinion", "RECALL_UNVERIFIABLE"), ("fresh", "RECALL_FRESH")]
    [raised] = first["route"]["raised"]
    assert (raised["memory"], raised["claim"], raised["ground_truth"]) == (
        "stale", "src/b.py", "src/b.py is absent")
    [row] = _rows(both_ws)  # the default view: it waits on a human
    assert (row["kind"], row["resolver_kind"], row["reason_token"], row["subject"],
            row["handle"]) == ("MEMORY_STALE", "HUMAN", "RECALL_STALE", stale, raised["handle"])
    assert row["reason_text"] == "memory 'stale': 'src/b.py' → src/b.py is absent"
    assert "ground truth: src/b.py is absent" in row["evidence"]
    assert row["proposed_command"] == f"dos memory recall stale.md --store {notes} --explain"
    assert _records(both_ws) == [("MEMORY_STALE", stale)]
    for _ in range(2):  # the same findings again: nothing is appended
        again = _sweep(both_ws, notes)
        assert again["route"] == {"raised": [], "settled": [], "kept": [
            {"memory": "stale", "file": "stale.md", "handle": raised["handle"],
             "state": "open"}]}
    assert _records(both_ws) == [("MEMORY_STALE", stale)]
    assert [r["subject"] for r in _rows(both_ws, "--all")] == [stale]  # never the opinion
    later = str(_first_ts_ms(both_ws) + 3 * DAY_MS)
    assert [r["handle"] for r in _rows(both_ws, **{TEST_CLOCK_ENV: later})] == [
        raised["handle"]]  # an open finding outlives the 24h window: it is state
    both_ws.proc("journal", "verify")


def test_a_note_that_turned_fresh_is_closed_and_a_new_finding_is_routed(
        both_ws: PgWorkspace, notes: Path) -> None:
    stale = str(notes / "stale.md")
    first = _sweep(both_ws, notes)["route"]["raised"][0]
    _commit(both_ws, "add the parser", {"src/b.py": "parser = 1\n"})
    fixed = _sweep(both_ws, notes, code=0)["route"]
    assert (fixed["raised"], fixed["kept"]) == ([], [])
    assert [(s["handle"], s["why"]) for s in fixed["settled"]] == [
        (first["handle"], "'stale' is RECALL_FRESH now")]
    assert _rows(both_ws, "--all") == []
    history = both_ws.run("--json", "decisions", "--all").json()["history"]
    assert [(h["decision"], h["kind"], h["owner"], h["handle"], h["subject"])
            for h in history] == [("settle", "MEMORY_STALE", "dos memory verify",
                                   first["handle"], stale)]
    assert _sweep(both_ws, notes, code=0)["route"] == {"raised": [], "settled": [], "kept": []}
    (notes / "stale.md").write_text("src/c.py holds the lexer.\n", encoding="utf-8")
    renewed = _sweep(both_ws, notes)["route"]["raised"]
    assert [(r["claim"], r["ground_truth"]) for r in renewed] == [
        ("src/c.py", "src/c.py is absent")]
    assert renewed[0]["handle"] != first["handle"]  # a new question, a new handle
    (notes / "stale.md").write_text("src/d.py holds the lexer.\n", encoding="utf-8")
    changed = _sweep(both_ws, notes)["route"]  # changed while open: closed, routed anew
    assert [s["why"] for s in changed["settled"]] == [
        "'stale' is stale for another reason now: 'src/d.py' → src/d.py is absent"]
    [row] = _rows(both_ws)
    assert (row["handle"], row["reason_text"]) == (
        changed["raised"][0]["handle"], "memory 'stale': 'src/d.py' → src/d.py is absent")
    assert [op for op, _ in _records(both_ws)] == [
        "MEMORY_STALE", "DECIDE", "MEMORY_STALE", "DECIDE", "MEMORY_STALE"]
    both_ws.proc("journal", "verify")


def test_the_operator_resolves_a_memory_row_and_the_sweep_respects_it(
        both_ws: PgWorkspace, notes: Path) -> None:
    raised = _sweep(both_ws, notes)["route"]["raised"][0]
    approved = both_ws.run("decisions", "resolve", "1", "--approve", "--owner", "alice")
    assert approved.code == 0, approved
    assert approved.out.splitlines()[1] == (
        f"  run: dos memory recall stale.md --store {notes} --explain")
    assert _rows(both_ws) == []
    kept = _sweep(both_ws, notes)["route"]  # decided: the same finding is not raised again
    assert kept == {"raised": [], "settled": [], "kept": [
        {"memory": "stale", "file": "stale.md", "handle": raised["handle"],
         "state": "approve"}]}
    assert _rows(both_ws, "--all") == []
    (notes / "stale.md").unlink()
    (notes / "gone.md").write_text("src/e.py holds it.\n", encoding="utf-8")
    _sweep(both_ws, notes)
    (notes / "gone.md").unlink()
    left = _sweep(both_ws, notes, code=0)["route"]
    assert [s["why"] for s in left["settled"]] == [f"'gone' is no longer in {notes}"]
    assert _rows(both_ws, "--all") == []


def test_a_sweep_of_another_store_leaves_this_stores_rows(both_ws: PgWorkspace, notes: Path,
                                                          tmp_path: Path) -> None:
    _sweep(both_ws, notes)
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.md").write_text("src/a.py holds x.\n", encoding="utf-8")
    assert _sweep(both_ws, other, code=0)["route"] == {"raised": [], "settled": [], "kept": []}
    assert [r["subject"] for r in _rows(both_ws)] == [str(notes / "stale.md")]


def test_only_the_operators_decisions_calibrate_dos_learn() -> None:
    finding = Finding(subject="/n/stale.md", file="stale.md", memory="stale", store="/n",
                      claim="src/b.py", claim_kind="PATH", polarity="ASSERTS_PRESENT",
                      source="stat", ground_truth="src/b.py is absent")
    entry = settle_entry(Settle(Routed(finding, 1, 0), "'stale' is RECALL_FRESH now"))

    def record(payload: dict[str, Any]) -> JournalRecord:
        return JournalRecord(seq=2, ts_ms=0, op=entry.op, lane="", holder=entry.holder,
                             run_id="", loop_ts="", lease_id=None, payload=payload,
                             prev_hash="", hash="")
    assert ops_event(record(dict(entry.payload)), lambda _token: "UNCLASSIFIED") is None
    dismissed = ops_event(record({**entry.payload, "decision": "dismiss"}),
                          lambda _token: "UNCLASSIFIED")
    assert dismissed is not None
    assert (dismissed.category, dismissed.outcome) == ("MEMORY_STALE", "dismiss")


def test_a_notification_names_the_note_and_the_ground_truth() -> None:
    finding = Finding(subject="/n/stale.md", file="stale.md", memory="stale", store="/n",
                      claim="src/b.py", claim_kind="PATH", polarity="ASSERTS_PRESENT",
                      source="stat", ground_truth="src/b.py is absent")
    note = decisions_note([memory_row(Routed(finding, 1, 0), 0)], hidden=0, top=5,
                          workspace="ws")
    assert note.fields == (("MEMORY_STALE @ -",
                            "memory 'stale': 'src/b.py' → src/b.py is absent"),)
