"""`dos decisions` from real verbs run as real processes, on SQLite and PostgreSQL: a
lease-lane refusal, a `dos watch` halt proposal and a `dos loop` restart-intensity
escalation each become a row with the right kind and resolver; `resolve` journals who
decided, the row leaves the queue, and `--all` keeps it in the history."""

from __future__ import annotations

import json
import time
from typing import Any

from tests._support.postgres import PgWorkspace

from dos.run_id import mint
from dos.store import reading

RID = mint("worker").run_id
_HOUR_MS = 3_600_000


def _proc(ws: PgWorkspace, *args: str, code: int = 0, **env: str) -> Any:
    ran = ws.proc(*args, **env)
    assert ran.code == code, (args, ran)
    return ran


def _rows(ws: PgWorkspace, *flags: str) -> list[dict[str, Any]]:
    answer = json.loads(_proc(ws, "decisions", "--json", *flags).out)
    assert answer["schema"] == {"family": "decisions", "version": 1}
    rows: list[dict[str, Any]] = answer["rows"]
    return rows


def _fleet(ws: PgWorkspace) -> None:
    """A holds src; B is refused the exclusive lane; C is refused src; the watchdog
    finds A's run stalled; a docs worker was reaped, so dos loop escalates docs."""
    with (ws.path / "dos.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[supervise]\nmax_restarts = 0\n")
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "A", "--run-id", RID,
          "--ttl-seconds", "36000")
    _proc(ws, "lease-lane", "acquire", "--lane", "global", "--owner", "B", code=1)
    _proc(ws, "lease-lane", "acquire", "--lane", "src", "--owner", "C", code=1)
    later = str(int(time.time() * 1000) + 2 * _HOUR_MS)  # A's heartbeat is stale by then
    watched = json.loads(_proc(ws, "watch", "--track", RID, "--budget-ms", "0", "--command",
                               "kill {run_id}", "--json", DOS_TEST_CLOCK_MS=later).out)
    assert watched["proposed_halts"] == [RID]
    taken = json.loads(_proc(ws, "lease-lane", "acquire", "--lane", "docs", "--owner", "W",
                             "--json").out)
    _proc(ws, "lease-lane", "reap", "--lease-id", str(taken["lease_id"]), "--force")
    loop = json.loads(_proc(ws, "loop", "--json").out)
    assert [row["lane"] for row in loop["escalate"]] == ["docs"]


def _decide_records(ws: PgWorkspace) -> list[Any]:
    with reading(ws.config()) as tx:
        assert tx is not None
        return tx.journal_records(op="DECIDE")


def test_refusal_halt_and_escalation_reach_the_queue_and_resolve_is_journaled(
        both_ws: PgWorkspace) -> None:
    _fleet(both_ws)
    rows = _rows(both_ws)
    assert [(r["number"], r["kind"], r["resolver_kind"], r["lane"]) for r in rows] == [
        (1, "LIVENESS", "HUMAN", "src"), (2, "RESTART_ESCALATION", "HUMAN", "docs"),
        (3, "LEASE_REFUSE", "HUMAN", "global")]
    halt, escalation, refusal = rows
    assert (halt["run_id"], halt["proposed_command"]) == (RID, f"kill {RID}")
    assert "STALLED" in halt["reason_text"]
    assert (escalation["reason_token"], "max_restarts 0" in escalation["reason_text"]) == (
        "RESTART_INTENSITY", True)
    assert (refusal["reason_token"], refusal["subject"]) == ("EXCLUSIVE_LANE_BUSY", "B")
    everything = _rows(both_ws, "--all")
    def steady(found: list[dict[str, Any]]) -> list[dict[str, Any]]:  # age moves between calls
        return [{k: v for k, v in row.items() if k != "age_seconds"} for row in found]
    assert steady(everything[:3]) == steady(rows)  # HUMAN rows are numbered alike in both views
    [held] = [r for r in everything if r["subject"] == "C"]
    assert (held["kind"], held["resolver_kind"], held["reason_token"]) == (
        "LEASE_REFUSE", "BACKPRESSURE", "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP")

    done = _proc(both_ws, "decisions", "resolve", "1", "--approve", "--owner", "alice",
                 "--note", "stop it")
    assert done.out.splitlines() == [
        f"approved #1 LIVENESS @ src ({halt['handle']}) — journaled as seq "
        f"{_decide_records(both_ws)[0].seq} by alice", f"  run: kill {RID}"]
    [record] = _decide_records(both_ws)
    assert (record.holder, record.lane, record.run_id) == ("alice", "src", RID)
    assert (record.payload["decision"], record.payload["handle"], record.payload["note"],
            record.payload["command"]) == ("approve", halt["handle"], "stop it", f"kill {RID}")
    assert [r["kind"] for r in _rows(both_ws)] == ["RESTART_ESCALATION", "LEASE_REFUSE"]
    history = json.loads(_proc(both_ws, "decisions", "--all", "--json").out)["history"]
    assert [(h["decision"], h["kind"], h["owner"], h["handle"]) for h in history[:1]] == [
        ("approve", "LIVENESS", "alice", halt["handle"])]
    # the docs worker's lease was reaped while live: an override, kept with who did it
    assert [(h["decision"], h["kind"], h["lane"]) for h in history[1:]] == [
        ("override", "REAP", "docs")]
    assert "approve   LIVENESS @ src  by alice  — stop it" in _proc(
        both_ws, "decisions", "--all").out
    _proc(both_ws, "decisions", "resolve", halt["handle"], "--dismiss", "--owner", "bob",
          code=2)  # already out of the queue
    _proc(both_ws, "journal", "verify")  # the DECIDE record is on the chain


def test_the_text_frame_and_the_empty_queue(both_ws: PgWorkspace) -> None:
    empty = _proc(both_ws, "decisions")
    assert empty.out.splitlines() == ["# operator decisions",
                                      "  (none pending - nothing is waiting on you)"]
    _fleet(both_ws)
    lines = _proc(both_ws, "decisions").out.splitlines()
    assert lines[:2] == ["# operator decisions", "  3 pending  (3 now)"]
    assert lines[4].startswith("  !  1 ")
    assert "LIVENESS" in lines[4]
    assert "  → 3 pending (HUMAN:3)  ·  1 more: BACKPRESSURE:1 (`dos decisions --all`)" in lines
    shown = _proc(both_ws, "decisions", "show", "3").out
    assert "  KIND      LEASE_REFUSE" in shown
    assert "    - asked by B through dos lease-lane acquire" in shown
