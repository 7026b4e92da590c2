"""The eval verbs as verbs: their exit-code rows, their verdict-journal records, wrong
cases listed but bounded, and cases read one at a time (memory does not grow)."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._support.fuzz import make_workspace, run_dos

from dos.config import default_config
from dos.evals import overlap, tool_stream
from dos.evals.cases import Case
from dos.exitcodes import contract
from dos.record.verdict_journal import read_events
from dos.workspace import load_config

EVALS = ("overlap-eval", "intervention-eval", "tool-stream-eval")
SAFE = {"tree_a": ["src/**"], "tree_b": ["docs/**"], "collided": False}


@pytest.mark.parametrize("verb", EVALS)
def test_one_exit_polarity_for_every_harness(verb: str) -> None:
    assert contract(verb) == {"BELOW_BAR": 1, "MEETS_BAR": 0, "contract_error": 2}


@pytest.mark.parametrize("verb", EVALS)
def test_help_states_the_exit_codes(verb: str, tmp_path: Path) -> None:
    ran = run_dos([verb, "--help"], cwd=tmp_path)
    assert "Exit: 0 MEETS_BAR, 1 BELOW_BAR" in " ".join(ran.out.split())


def test_a_grade_is_journaled(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    (tmp_path / "pairs.jsonl").write_text(json.dumps(SAFE) + "\n", encoding="utf-8")
    # a read verb journals into an existing store and never creates one: make it first
    assert run_dos(["--workspace", str(tmp_path), "lease-lane", "acquire", "--lane", "src",
                    "--owner", "A"], cwd=tmp_path).code == 0
    ran = run_dos(["--workspace", str(tmp_path), "overlap-eval", "--cases", "pairs.jsonl"],
                  cwd=tmp_path)
    assert ran.code == 0, ran.err
    [event] = [e for e in read_events(load_config(tmp_path, None))
               if e.syscall == "overlap-eval"]
    assert (event.verdict, event.subject, event.detail["n"]) == ("MEETS_BAR", "pairs.jsonl", 1)


def test_wrong_cases_are_listed_first_twenty_then_a_count(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    leak = {"tree_a": ["src/**"], "tree_b": ["docs/**"], "collided": True}
    (tmp_path / "leaks.jsonl").write_text("".join(json.dumps(leak) + "\n" for _ in range(25)),
                                          encoding="utf-8")
    ran = run_dos(["--workspace", str(tmp_path), "overlap-eval", "--cases", "leaks.jsonl"],
                  cwd=tmp_path)
    assert ran.code == 1
    assert "leaks.jsonl:20  FALSE-ADMIT" in ran.out
    assert "leaks.jsonl:21" not in ran.out
    assert "… and 5 more" in ran.out
    assert "VERDICT        BELOW_BAR" in ran.out


def _stream(count: int, raw: dict[str, object], known: tuple[str, ...]) -> Iterator[Case]:
    for number in range(count):
        yield Case(raw, f"gen:{number}", known)


def _peak(count: int) -> int:
    config = overlap.pair_config(default_config(Path.cwd()))
    tracemalloc.start()
    overlap.evaluate(_stream(count, SAFE, overlap.KNOWN), config)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_cases_are_counted_not_kept() -> None:
    small, large = _peak(200), _peak(4000)
    assert large < small * 2 + 256 * 1024, (small, large)


def test_a_huge_repeat_replays_at_most_stall_n_steps() -> None:
    policy = tool_stream.policy_of({}, repeat_n=None, stall_n=None, ignore_tools=None)
    raw = {"repeat": 10**9, "actually_stuck": True, "legit_polling": False,
           "recovered_if_fired": True}
    tally = tool_stream.evaluate(_stream(1, raw, tool_stream.KNOWN), policy)
    assert (tally.fired_stuck, tally.recovered) == (1, 1)
