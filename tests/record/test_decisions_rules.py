"""The pure parts of the decisions queue: the resolver rules (golden cases in
tests/cases/decisions/resolvers.toml), the fold of duplicates, resolutions and
settlements, the ranking, and an incremental fold agreeing with a fresh one."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos.admission.reasons import registry
from dos.config import load_workspace_config
from dos.record.decisions import (
    DecisionRow,
    Facts,
    Key,
    Kind,
    Ledger,
    Point,
    Resolution,
    Resolver,
    Sighting,
    build_rows,
    handle_of,
    rank,
    resolver_for,
)

CASES = tomllib.loads((Path(__file__).parents[1] / "cases" / "decisions" / "resolvers.toml")
                      .read_text(encoding="utf-8"))["case"]
REASONS = """\
[lanes]
concurrent = ["src"]
[lanes.trees]
src = ["src/**"]
[reasons.lane_parked]
category = "OPERATOR_GATE"
summary = "parked for the night"
fix = "wait for the morning"
[reasons.wrong_desk]
category = "MISROUTE"
summary = "asked at the wrong desk"
fix = "ask the right one"
"""


@pytest.fixture(scope="module")
def category_of(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("reasons")
    (root / "dos.toml").write_text(REASONS, encoding="utf-8")
    return registry(load_workspace_config(root)).category_for


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_resolver_rules(case: dict[str, str], category_of: Any) -> None:
    assert resolver_for(Kind(case["kind"]), case["token"], category_of) == \
        Resolver(case["resolver"])


def test_the_resolver_never_reads_the_prose(category_of: Any) -> None:
    # the reference called anything saying "already held" backpressure; the token decides
    ledger = Ledger()
    ledger.see(_refusal(1, reason_class="SELF_MODIFY", text="lane src is already held"))
    [row] = build_rows(ledger, Facts(now_ms=10_000, category_of=category_of))
    assert row.resolver is Resolver.JUDGE


def _refusal(seq: int, *, holder: str = "B", lane: str = "global", ts: int | None = None,
             reason_class: str = "EXCLUSIVE_LANE_BUSY", text: str = "busy") -> Sighting:
    return Sighting(Key(Kind.LEASE_REFUSE, lane, reason_class, "", holder),
                    Point("ops", seq, seq * 1000 if ts is None else ts), text, (f"#{seq}",))


def _rows(ledger: Ledger, now_ms: int = 100_000) -> list[DecisionRow]:
    return build_rows(ledger, Facts(now_ms=now_ms))


def test_duplicates_fold_into_one_row_whose_handle_does_not_move() -> None:
    ledger = Ledger()
    ledger.see(_refusal(3))
    [first] = _rows(ledger)
    for seq in (5, 4, 9):  # journals are read in any order
        ledger.see(_refusal(seq, text=f"busy at {seq}"))
    [row] = _rows(ledger)
    assert (row.handle, row.dup_count, row.first_ts_ms, row.reason_text) == (
        first.handle, 4, 3000, "busy at 9")
    assert row.age_seconds == 97
    assert row.through == {"ops": 9}
    assert row.handle == handle_of(Key(Kind.LEASE_REFUSE, "global", "EXCLUSIVE_LANE_BUSY", "",
                                       "B"), 0)


def _resolution(row: DecisionRow, seq: int) -> Resolution:
    return Resolution("dismiss", row.handle, row.kind.value, row.lane, row.reason_token, "op",
                      run_id=row.run_id, subject=row.subject, seq=seq, through=row.through)


def test_a_resolution_covers_what_was_seen_and_a_relapse_is_a_new_row() -> None:
    ledger = Ledger()
    ledger.see(_refusal(3))
    ledger.see(_refusal(4))
    [row] = _rows(ledger)
    decided = _resolution(row, 10)
    again = Ledger([decided])
    again.see(_refusal(3))
    again.see(_refusal(4))
    assert _rows(again) == []
    again.see(_refusal(12))  # refused again after the decision
    [relapse] = _rows(again)
    assert relapse.dup_count == 1
    assert relapse.handle != row.handle
    assert relapse.handle == handle_of(Key(Kind.LEASE_REFUSE, "global",
                                           "EXCLUSIVE_LANE_BUSY", "", "B"), 10)


def test_overrides_and_foreign_decisions_cover_nothing() -> None:
    ledger = Ledger([Resolution("override", "", "ARBITRATE_FORCE", "global", "", "op",
                                through={"ops": 99})])
    ledger.see(_refusal(3))
    assert len(_rows(ledger)) == 1


def test_a_later_grant_or_tick_settles_arbiter_refusals_and_escalations() -> None:
    ledger = Ledger()
    ledger.see(Sighting(Key(Kind.ARBITER_REFUSE, "src", "TREE_OVERLAP"),
                        Point("verdicts", 5, 5000), "overlaps"))
    ledger.see(Sighting(Key(Kind.ARBITER_REFUSE, "", "NO_FREE_LANE"),
                        Point("verdicts", 6, 6000), "nothing free"))
    for lane in ("api", "docs"):
        ledger.see(Sighting(Key(Kind.RESTART_ESCALATION, lane, "RESTART_INTENSITY"),
                            Point("verdicts", 7, 7000), "dying"))
    ledger.ticked(Point("verdicts", 7, 7000))
    ledger.granted("docs", Point("verdicts", 4, 4000))  # before the refusals: settles none
    assert len(ledger.open()) == 4
    ledger.see(Sighting(Key(Kind.RESTART_ESCALATION, "api", "RESTART_INTENSITY"),
                        Point("verdicts", 9, 9000), "still dying"))
    ledger.ticked(Point("verdicts", 9, 9000))  # docs was not escalated again
    ledger.granted("SRC", Point("verdicts", 8, 8000))
    assert sorted((g.key.kind.value, g.key.lane) for g in ledger.open()) == [
        ("RESTART_ESCALATION", "api")]


def test_ranking_puts_humans_first_then_urgency_then_the_longest_waiting() -> None:
    def row(kind: Kind, resolver: Resolver, first: int, handle: str) -> DecisionRow:
        return DecisionRow(0, handle, kind, resolver, "", "", "", "", 0, (), "", 1,
                           first_ts_ms=first)
    ranked = rank([
        row(Kind.LEASE_REFUSE, Resolver.BACKPRESSURE, 1, "a"),
        row(Kind.LEASE_REFUSE, Resolver.HUMAN, 9, "b"),
        row(Kind.LEASE_REFUSE, Resolver.HUMAN, 2, "c"),
        row(Kind.LIVENESS, Resolver.HUMAN, 50, "d"),
        row(Kind.EXPIRED_LEASE, Resolver.ORACLE, 0, "e"),
        row(Kind.ARBITER_REFUSE, Resolver.JUDGE, 0, "f"),
    ])
    assert [(r.number, r.handle) for r in ranked] == [
        (1, "d"), (2, "c"), (3, "b"), (4, "f"), (5, "a"), (6, "e")]


def test_an_incremental_fold_agrees_with_a_fresh_one() -> None:
    records = [_refusal(seq, holder=f"H{seq % 3}") for seq in range(1, 40)]
    fresh = Ledger()
    for sighting in records:
        fresh.see(sighting)
    first = Ledger()
    for sighting in records[:17]:
        first.see(sighting)
    later = first.copy()
    for sighting in records[17:]:
        later.see(sighting)
    assert _rows(later) == _rows(fresh)
    assert [r.dup_count for r in _rows(first)] != [r.dup_count for r in _rows(fresh)]
