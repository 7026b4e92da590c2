"""`dos next` and `dos pick-priority` in one process against a real repository and store:
what is skipped (shipped, leased, cooling down), in which order, and every typed
"nothing pickable"."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.truth import run_cli

from dos.store import writing
from dos.store.journal import JournalEntry
from dos.workspace import load_config

PLAN = "id: AUTH\n## AUTH1 — a\n## AUTH2 — b\n### AUTH2.1 — b1\n### AUTH2.2 — b2\n## AUTH3 — c\n"
TOML = """\
# the workers' lanes; global runs alone
[lanes]
concurrent = ["src", "tests"]
exclusive = ["global"]
autopick = ["src"]
[lanes.trees]
src = ["src/**"]
tests = ["tests/**"]
global = ["**"]
"""


@pytest.fixture
def ws(git_repo: Callable[..., Any]) -> Path:
    repo = git_repo("ws")
    repo.commit("plan", {"dos.toml": TOML, "docs/auth-plan.md": PLAN})
    repo.commit("AUTH1: a", {"src/a.py": "a\n"})
    return Path(repo.path)


def _dos(capsys: pytest.CaptureFixture[str], ws: Path, *argv: str) -> tuple[int, Any]:
    code, out, err = run_cli(capsys, ["--workspace", str(ws), *argv, "--json"])
    return code, json.loads(out) if out.strip() else err


def _attempt(ws: Path, unit: str, outcome: str, ago_ms: int) -> None:
    with writing(load_config(str(ws), None)) as tx:
        tx.append(JournalEntry("ATTEMPT", lane="src", payload={
            "unit_id": unit, "outcome": outcome, "attempted_at_ms": tx.now_ms() - ago_ms}))


def test_shipped_units_and_parents_are_never_offered(ws: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, answer = _dos(capsys, ws, "next", "--owner", "w1", "--dry-run")
    assert code == 0
    assert [r["unit"] for r in answer["ranking"]] == ["AUTH2.1", "AUTH2.2", "AUTH3"]
    assert (answer["units"], answer["shipped"], answer["remaining"]) == (5, 1, 3)
    assert answer["lease"] is None
    assert not (ws / ".dos").exists()  # a dry run on a fresh workspace creates nothing


def test_never_attempted_first_then_least_recent_and_cooling_units_skipped(
        ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _dos(capsys, ws, "lease-lane", "acquire", "--lane", "tests", "--owner", "x")[0] == 0
    _attempt(ws, "AUTH2.1", "blocked", ago_ms=60_000)          # cooling (6 h window)
    _attempt(ws, "AUTH2.2", "error", ago_ms=3 * 3_600_000)     # error window (30 min) over
    code, answer = _dos(capsys, ws, "next", "--owner", "w1", "--dry-run")
    assert code == 0
    ranking = [(r["unit"], r["held"], r["freshness"]) for r in answer["ranking"]]
    assert ranking == [("AUTH3", None, "NEVER_ATTEMPTED"), ("AUTH2.2", None, "ATTEMPTED"),
                       ("AUTH2.1", "COOLDOWN", "ATTEMPTED")]
    assert _dos(capsys, ws, "next", "--owner", "w1")[1]["unit"] == "AUTH3"
    assert _dos(capsys, ws, "next", "--owner", "w2")[1]["unit"] == "AUTH2.2"
    code, held = _dos(capsys, ws, "next", "--owner", "w3")
    assert (code, held["verdict"], held["because"]) == (4, "HELD", "ALL_HELD")


def test_asking_again_renews_the_same_unit(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, first = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src")
    code2, again = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src")
    assert (code, code2) == (0, 0)
    assert again["unit"] == first["unit"]
    assert again["renewed"] is True
    assert again["lease"]["lease_id"] == first["lease"]["lease_id"]


def test_all_shipped_is_drained(git_repo: Callable[..., Any],
                                capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo("done")
    repo.commit("plan", {"dos.toml": TOML, "docs/x-plan.md": "id: X\n## X1 — one\n"})
    repo.commit("X1: one", {"src/x.py": "x\n"})
    code, answer = _dos(capsys, Path(repo.path), "next", "--owner", "w1")
    assert (code, answer["verdict"], answer["because"]) == (3, "DRAINED", "ALL_SHIPPED")


def test_a_plan_without_units_is_drained_no_units(
        ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "docs" / "empty-plan.md").write_text("# nothing yet\n", encoding="utf-8")
    code, answer = _dos(capsys, ws, "next", "--owner", "w1", "--plan",
                        str(ws / "docs" / "empty-plan.md"))
    assert (code, answer["because"]) == (3, "NO_UNITS")


def test_a_busy_lane_is_held_with_the_arbiters_reason(
        ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _dos(capsys, ws, "lease-lane", "acquire", "--lane", "global", "--owner", "g")[0] == 0
    code, answer = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src")
    assert (code, answer["because"]) == (4, "LANE_BUSY")
    assert "global" in answer["reason"]
    code, dry = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src", "--dry-run")
    assert (code, dry["because"]) == (4, "LANE_BUSY")


@pytest.mark.parametrize("argv", [
    ["next", "--owner", "w1", "--lane", "nowhere"],
    ["next", "--owner", "w1", "--plan", "missing-plan.md"],
    ["next", "--owner", "w1", "--run-id", "not-a-run"],
    ["next", "--owner", "w1", "--ttl-seconds", "0"],
    ["next", "--owner", "   "],
    ["pick-priority", "AUTH1", "--attempts", "{}"],
])
def test_bad_input_is_exit_2(argv: list[str], ws: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DOS_OWNER", raising=False)
    code, err = _dos(capsys, ws, *argv)
    assert code == 2
    assert "dos: error:" in err


def test_no_plan_document_is_a_usage_error(git_repo: Callable[..., Any],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    repo = git_repo("bare")
    repo.commit("init", {"dos.toml": TOML})
    code, err = _dos(capsys, Path(repo.path), "next", "--owner", "w1")
    assert code == 2
    assert "plans_glob" in err


def test_pick_priority_orders_and_never_gates(ws: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _dos(capsys, ws, "lease-lane", "acquire", "--lane", "tests", "--owner", "x")[0] == 0
    _attempt(ws, "AUTH1", "shipped", ago_ms=1_000)
    _attempt(ws, "AUTH2", "blocked", ago_ms=5_000)
    _attempt(ws, "AUTH2", "blocked", ago_ms=9_000)
    code, answer = _dos(capsys, ws, "pick-priority", "AUTH1", "AUTH2", "AUTH3", "AUTH4")
    assert code == 0  # an ordering: attempted units are not an error
    assert answer["order"] == ["AUTH3", "AUTH4", "AUTH2", "AUTH1"]
    assert answer["ranking"][2]["attempts"] == 2
    assert answer["ranking"][0]["sort_key"] == [0, 0]
    code, only_attempted = _dos(capsys, ws, "pick-priority", "AUTH1")
    assert (code, only_attempted["ranking"][0]["freshness"]) == (0, "ATTEMPTED")


def test_every_picker_verb_leaves_a_verdict_journal_record(
        ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dos.record.verdict_journal import read_events

    assert _dos(capsys, ws, "lease-lane", "acquire", "--lane", "tests", "--owner", "x")[0] == 0
    asked = {
        "enumerate": ["enumerate", "docs/auth-plan.md"],
        "pickable": ["pickable", "AUTH3", "--state", '{"soak_open": true}'],
        "reconcile": ["reconcile", "AUTH1", "--claimed-done", "--plan", "AUTH"],
        "gate": ["gate", "--picks-json", "[]"],
        "scout": ["scout"],
        "health": ["health", "--lane", "src"],
        "pick-priority": ["pick-priority", "AUTH3", "AUTH1"],
        "next": ["next", "--owner", "w1", "--lane", "src"],
    }
    for argv in asked.values():
        _dos(capsys, ws, *argv)
    events = {event.syscall: event for event in read_events(load_config(str(ws), None))}
    assert set(asked) <= set(events)
    assert (events["pickable"].verdict, events["pickable"].subject) == ("SOAK_OPEN", "AUTH3")
    assert events["reconcile"].verdict == "VERIFIED"
    assert events["gate"].verdict == "DRAIN"
    assert (events["next"].verdict, events["next"].subject) == ("PICKED", "AUTH2.1")
    assert events["next"].detail["lease_id"] >= 2
    assert events["enumerate"].detail["remaining"] == 4


def test_a_released_attempt_cools_the_unit_down_for_the_next_pick(
        ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, first = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src")
    assert (code, first["unit"]) == (0, "AUTH2.1")
    code, _ = _dos(capsys, ws, "lease-lane", "release", "--lane", "src", "--owner", "w1",
                   "--unit", "AUTH2.1", "--outcome", "blocked")
    assert code == 0
    code, again = _dos(capsys, ws, "next", "--owner", "w1", "--lane", "src")
    assert (code, again["unit"]) == (0, "AUTH2.2")
    held = {r["unit"]: r["held"] for r in again["ranking"]}
    assert held["AUTH2.1"] == "COOLDOWN"
    code, pickable = _dos(capsys, ws, "pickable", "AUTH2.1")
    assert (code, pickable["cooldown_source"]) == (23, "store")
