"""What dos notify says: the decisions queue's rows waiting on a human (a halt proposal
makes it URGENT), gone once resolved; the fleet is `dos top`'s frame, each lane judged
on its current lease only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace
from tests._support.verdicts import arbiter_refusal, halt_proposal, seed, verdict

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.store import TEST_CLOCK_ENV

T0 = 1_800_000_000_000


def _note(dos_run: Callable[..., Ran], surface: str, *extra: str) -> dict[str, object]:
    ran = dos_run("--json", "notify", surface, *extra)
    assert ran.code == 0, ran.err
    note: dict[str, object] = ran.json()["notification"]
    return note


def test_an_empty_journal_is_a_clear_fleet(workspace: Workspace,
                                           dos_run: Callable[..., Ran]) -> None:
    note = _note(dos_run, "decisions")
    assert note["title"] == "fleet clear — no pending decisions"
    assert note["severity"] == "INFO"
    assert note["fields"] == []
    assert not (workspace.path / ".dos").exists()  # the null notifier wrote nothing


def test_titles_count_in_good_grammar(workspace: Workspace,
                                      dos_run: Callable[..., Ran]) -> None:
    seed(workspace.config(), arbiter_refusal("global"))
    one = _note(dos_run, "decisions")
    assert one["title"] == "1 decision needs you"
    assert one["severity"] == "WARN"
    halt_proposal(workspace.config())
    two = _note(dos_run, "decisions")
    assert two["title"] == "2 decisions need you"
    assert two["severity"] == "URGENT"  # a halt proposal waits


def test_a_resolved_decision_no_longer_waits(workspace: Workspace,
                                             dos_run: Callable[..., Ran]) -> None:
    seed(workspace.config(), arbiter_refusal("global"), arbiter_refusal("global"),
         arbiter_refusal("src", "LANE_BLOCKED_ON_OPERATOR_DECISION", "waits for you"))
    assert _note(dos_run, "decisions")["title"] == "2 decisions need you"
    listed = dos_run("--json", "decisions").json()["rows"]
    src = next(row for row in listed if row["lane"] == "src")
    done = dos_run("decisions", "resolve", src["handle"], "--dismiss", "--owner", "op")
    assert done.code == 0, done.err
    note = _note(dos_run, "decisions")
    assert note["title"] == "1 decision needs you"
    assert note["fields"] == [["ARBITER_REFUSE @ global", "EXCLUSIVE_LANE_BUSY (\u00d72)"]]
    assert note["summary"] == "1 pending (HUMAN:1)"


def test_backpressure_waits_only_with_all(workspace: Workspace,
                                          dos_run: Callable[..., Ran]) -> None:
    seed(workspace.config(), arbiter_refusal("src", "TREE_OVERLAP", "overlaps docs"))
    clear = _note(dos_run, "decisions")
    assert clear["title"] == "fleet clear — no pending decisions"
    assert clear["summary"] == "0 pending; 1 more settle without you (dos decisions --all)"
    every = _note(dos_run, "decisions", "--all")
    assert every["fields"] == [["ARBITER_REFUSE @ src", "TREE_OVERLAP"]]


def test_top_k_limits_the_fields(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    seed(workspace.config(), *(arbiter_refusal(lane) for lane in
                               ("src", "docs", "global", "a", "b", "c", "d")))
    note = _note(dos_run, "decisions", "--top", "2")
    assert note["fields"] == [["ARBITER_REFUSE @ src", "EXCLUSIVE_LANE_BUSY"],
                              ["ARBITER_REFUSE @ docs", "EXCLUSIVE_LANE_BUSY"]]
    assert str(note["summary"]).endswith("; 5 more not shown")
    halt_proposal(workspace.config())
    text = dos_run("notify", "decisions", "--top", "0")
    assert text.out.splitlines()[0] == "▲ [URGENT] 8 decisions need you"
    assert "    LIVENESS @ src" not in text.out


@pytest.mark.parametrize("top", ["-1", "51"])
def test_top_out_of_range_is_a_usage_error(workspace: Workspace, dos_run: Callable[..., Ran],
                                           top: str) -> None:
    ran = dos_run("notify", "decisions", "--top", top)
    assert ran.code == 2
    assert "--top must be an integer from 0 to 50" in ran.err


def test_top_is_the_desks_frame(workspace: Workspace, dos_run: Callable[..., Ran],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The fleet as `dos top` shows it: chips judged on each current lease alone."""
    config = workspace.config()
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    seed(config, verdict("liveness", "STALLED", lane="src"))  # about an earlier holder
    lane_lease.acquire(config, LeaseRequest(lane="src"), owner="worker-a", ttl_s=3600)
    lane_lease.acquire(config, LeaseRequest(lane="docs"), owner="worker-b", ttl_s=3600)
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 2000))
    note = _note(dos_run, "top")
    assert note["title"] == "fleet: 2 advancing · 0 spinning · 0 stalled · 2 free"
    assert note["severity"] == "INFO"
    assert note["fields"] == [["src", "ADVANCING  worker-a"], ["docs", "ADVANCING  worker-b"],
                              ["recent verdicts", "1"]]
    assert note["summary"] == ("4 lanes · 2 advancing · 0 spinning · 0 stalled · "
                               "0 spawning · 2 free")
    assert note["key"] == f"dos-top:{workspace.path}"
    top = dos_run("--json", "top").json()
    assert [(row["lane"], row["chip"]) for row in top["lanes"]] == [
        ("src", "ADVANCING"), ("docs", "ADVANCING"), ("tests", "FREE"), ("global", "FREE")]
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 695_000))
    lane_lease.heartbeat(config, lane="docs", owner="worker-b")  # alive, past the grace
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 700_000))
    later = _note(dos_run, "top")
    assert later["severity"] == "URGENT"  # src: no heartbeat for 700 s is STALLED
    assert later["title"] == "fleet: 0 advancing · 1 spinning · 1 stalled · 2 free"


def test_text_output(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    halt_proposal(workspace.config())
    ran = dos_run("notify", "decisions")
    assert ran.out.splitlines() == [
        "▲ [URGENT] 1 decision needs you",
        "  1 pending (HUMAN:1)",
        "    LIVENESS @ src: watchdog: SPINNING (alive, no forward progress)  ⟶ stop: kill 42",
        "  → not sent (notifier=null; pass --notifier webhook --url URL or --notifier slack "
        "--channel ID to deliver)"]
    assert ran.code == 0


def test_unknown_notifier_lists_the_known(workspace: Workspace,
                                          dos_run: Callable[..., Ran]) -> None:
    ran = dos_run("notify", "top", "--notifier", "pagerduty")
    assert ran.code == 2
    assert "unknown notifier 'pagerduty'; known: null, slack, webhook" in ran.err
