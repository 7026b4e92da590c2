"""``dos observe``: the rollup by each dimension, the history of a run, filters, the
JSON answer, usage errors at the edge, its exit-code row, and the reader other
verbs build on (``read_events``)."""

from __future__ import annotations

import time

import pytest
from tests._support.postgres import PgWorkspace

from dos.record.verdict_event import VerdictEvent
from dos.record.verdict_journal import read_events
from dos.run_id import mint
from dos.store import reading

RID = mint("worker").run_id


@pytest.fixture
def journaled(fresh_ws: PgWorkspace) -> PgWorkspace:
    """Five verdicts: a grant for RID, two breakers, a verify via the API, a refusal."""
    from dos.record.verdict_journal import journal_answer

    ws = fresh_ws
    assert ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "A",
                  "--run-id", RID).code == 0
    assert ws.run("breaker", "--consecutive", "3", "--total", "4").code == 3
    assert ws.run("breaker", "--consecutive", "0", "--total", "4").code == 0
    journal_answer(ws.config(), ws.run("verify", "AUTH", "AUTH1", "--json").json(),
                   source="api")
    assert ws.run("lease-lane", "acquire", "--lane", "docs", "--owner", "B").code == 1
    return ws


def test_the_rollup_counts_each_verdict_per_syscall(journaled: PgWorkspace) -> None:
    ran = journaled.run("observe")
    assert ran.code == 0, ran
    lines = ran.out.splitlines()
    assert lines[:3] == ["# observe", "  6 verdict event(s) recorded", ""]
    # the known syscalls in their fixed order, each with its verdicts counted
    assert lines[3].split() == ["verify", "2", "SHIPPED=2"]
    assert lines[4].split() == ["lease-lane", "2", "ACQUIRE=1", "REFUSE=1"]
    assert lines[5].split() == ["breaker", "2", "CLOSED=1", "OPEN=1"]
    assert lines[-1].startswith("  chain intact: seq 1..6 linked without a gap; 6 re-hashed")


@pytest.mark.parametrize(("by", "rows"), [
    ("source", {"api": "SHIPPED=1", "cli": "ACQUIRE=1 CLOSED=1 OPEN=1 REFUSE=1 SHIPPED=1"}),
    ("run_id", {RID: "ACQUIRE=1", "(unattributed)": "CLOSED=1 OPEN=1 REFUSE=1 SHIPPED=2"}),
    ("lane", {"docs": "ACQUIRE=1 REFUSE=1", "(none)": "CLOSED=1 OPEN=1 SHIPPED=2"}),
    ("verdict", {"SHIPPED": "SHIPPED=2", "OPEN": "OPEN=1"}),
])
def test_the_rollup_by_each_dimension(journaled: PgWorkspace, by: str,
                                      rows: dict[str, str]) -> None:
    ran = journaled.run("observe", "--by", by)
    table = {line.split()[0]: " ".join(line.split()[2:]) for line in ran.out.splitlines()
             if line.startswith("  ") and not line.startswith("  chain")
             and "event(s)" not in line}
    for value, counts in rows.items():
        assert table[value] == counts, ran.out


def test_a_run_shows_its_history_and_the_json_carries_its_records(
        journaled: PgWorkspace) -> None:
    ran = journaled.run("observe", "--run", RID)
    assert ran.code == 0
    assert f"# observe · run {RID}" in ran.out
    (row,) = [line for line in ran.out.splitlines() if "lease-lane" in line]
    assert "ACQUIRE" in row
    assert "lease_id=1" in row
    answer = journaled.run("observe", "--run", RID, "--json").json()
    assert answer["schema"] == {"family": "observe", "version": 1}
    assert (answer["run"], answer["rollup"]["total"], answer["corrupt"]) == (RID, 1, 0)
    (event,) = answer["events"]
    assert (event["seq"], event["syscall"], event["verdict"], event["source"],
            event["lane"], event["run_id"]) == (1, "lease-lane", "ACQUIRE", "cli", "docs", RID)
    assert event["ts"].endswith("Z")
    assert "." in event["ts"]  # milliseconds


def test_tail_syscall_and_since_narrow_what_is_shown(journaled: PgWorkspace) -> None:
    tail = journaled.run("observe", "--tail", "2", "--json").json()
    assert [e["seq"] for e in tail["events"]] == [5, 6]
    assert tail["rollup"]["total"] == 6  # the rollup still counts every record
    only = journaled.run("observe", "--syscall", "breaker", "--json").json()
    assert only["rollup"]["counts"] == {"breaker": {"CLOSED": 1, "OPEN": 1}}
    assert only["syscall_filter"] == "breaker"
    future = str(int(time.time() * 1000) + 86_400_000)
    for since in (future, "2999-01-01T00:00:00Z"):
        none = journaled.run("observe", "--since", since, "--json").json()
        assert none["rollup"]["total"] == 0
    assert journaled.run("observe", "--since", "1h", "--json").json()["rollup"]["total"] == 6
    text = journaled.run("observe", "--syscall", "breaker", "--tail", "5")
    assert "OPEN" in text.out
    assert "verify" not in text.out


@pytest.mark.parametrize("argv", [
    ["--tail", "0"], ["--tail", "10001"], ["--since", "yesterday"], ["--run", ""],
    ["--syscall", "x" * 200], ["--by", "hash"], ["--since", "9" * 40],
])
def test_bad_flags_are_usage_errors_before_the_store_is_read(journaled: PgWorkspace,
                                                              argv: list[str]) -> None:
    ran = journaled.run("observe", *argv)
    assert ran.code == 2, ran
    assert ran.err.startswith("dos: error:")
    assert "fix:" in ran.err


def test_an_empty_or_switched_off_journal_says_so(fresh_ws: PgWorkspace) -> None:
    empty = fresh_ws.run("observe")
    assert empty.code == 0
    assert "0 verdict event(s) recorded" in empty.out
    assert "once the workspace has a store" in empty.out
    toml = fresh_ws.path / "dos.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[observe]\nenabled = false\n",
                    encoding="utf-8")
    off = fresh_ws.run("observe")
    assert "journaling is off ([observe] enabled = false" in off.out
    assert not (fresh_ws.path / ".dos").exists()


def test_the_observe_table_is_validated(fresh_ws: PgWorkspace) -> None:
    toml = fresh_ws.path / "dos.toml"
    base = toml.read_text(encoding="utf-8")
    for bad in ("enabled = \"no\"", "keep_days = -1", "keep_days = \"7\"", "keepdays = 7"):
        toml.write_text(f"{base}\n[observe]\n{bad}\n", encoding="utf-8")
        ran = fresh_ws.run("observe")
        assert ran.code == 2, (bad, ran)
        assert "[observe]" in ran.err


def test_exit_codes_lists_observe(fresh_ws: PgWorkspace) -> None:
    codes = fresh_ws.run("exit-codes", "observe", "--json").json()
    assert codes["observe"] == {"BROKEN": 1, "INTACT": 0, "contract_error": 2}


def test_read_events_pages_in_seq_order_without_reading_everything(
        journaled: PgWorkspace) -> None:
    everything = list(read_events(journaled.config()))
    assert [event.seq for event in everything] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(event, VerdictEvent) for event in everything)
    assert [e.seq for e in read_events(journaled.config(), after_seq=2, limit=3,
                                       batch=2)] == [3, 4, 5]
    with reading(journaled.config()) as tx:
        assert tx is not None
        assert [e.seq for e in read_events(tx, after_seq=5)] == [6]
        assert list(read_events(tx, limit=0)) == []
    assert everything[4].to_json()["source"] == "api"


def test_read_events_of_a_workspace_without_a_store_is_empty(fresh_ws: PgWorkspace) -> None:
    assert list(read_events(fresh_ws.config())) == []
    assert not (fresh_ws.path / ".dos").exists()
