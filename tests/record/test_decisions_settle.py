"""Rows leave the queue when the facts settle them, overrides are journaled with who
did them, and every misuse of `dos decisions` is exit 2 with the way on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests._support.leases import Ran, Workspace

from dos.api import decisions as api
from dos.store import TEST_CLOCK_ENV

T0 = 1_800_000_000_000
MIN = 60_000


def _all(dos_run: Callable[..., Ran]) -> list[dict[str, Any]]:
    ran = dos_run("--json", "decisions", "--all")
    assert ran.code == 0, ran.err
    rows: list[dict[str, Any]] = ran.json()["rows"]
    return rows


def _kinds(dos_run: Callable[..., Ran]) -> list[tuple[str, str, str]]:
    return [(r["kind"], r["lane"], r["subject"]) for r in _all(dos_run)]


def test_a_refusal_leaves_once_the_refused_holder_gets_the_lane(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "frontend", "--owner", "C").code == 1
    assert dos_run("arbitrate", "--lane", "src").code == 1
    assert _kinds(dos_run) == [("LEASE_REFUSE", "src", "C"), ("ARBITER_REFUSE", "src", "src")]
    assert dos_run("lease-lane", "release", "--lane", "src", "--owner", "A").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "D").code == 0
    assert _kinds(dos_run) == [("LEASE_REFUSE", "src", "C")]  # src was granted: moot
    assert dos_run("lease-lane", "release", "--lane", "src", "--owner", "D").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "C").code == 0
    assert _kinds(dos_run) == []


def test_arbitrate_force_is_journaled_as_an_override(
        workspace: Workspace, dos_run: Callable[..., Ran],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    monkeypatch.setenv("DOS_OWNER", "operator-1")
    hypothetical = '[{"lane": "docs", "tree": ["docs/**"], "lease_id": 9, "holder": "x"}]'
    assert dos_run("arbitrate", "--lane", "docs", "--force", "--leases", hypothetical).code == 0
    assert dos_run("arbitrate", "--lane", "docs", "--force").code == 0  # nothing overridden
    assert dos_run("arbitrate", "--lane", "src", "--force").code == 0
    history = dos_run("--json", "decisions", "--all").json()["history"]
    assert [(h["decision"], h["kind"], h["lane"], h["owner"], h["reason_token"],
             h["command"]) for h in history] == [
        ("override", "ARBITRATE_FORCE", "src", "operator-1",
         "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "dos arbitrate --lane src --force")]
    assert "override  ARBITRATE_FORCE @ src  by operator-1" in dos_run("decisions", "--all").out


def test_an_expired_lease_is_an_oracle_row_until_reaped(
        workspace: Workspace, dos_run: Callable[..., Ran],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    taken = dos_run("--json", "lease-lane", "acquire", "--lane", "docs", "--owner", "W",
                    "--ttl-seconds", "60").json()
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 5 * MIN))
    assert dos_run("--json", "decisions").json()["rows"] == []
    [row] = _all(dos_run)
    assert (row["kind"], row["resolver_kind"], row["age_seconds"], row["proposed_command"]) == (
        "EXPIRED_LEASE", "ORACLE", 240, f"dos lease-lane reap --lease-id {taken['lease_id']}")
    assert dos_run("lease-lane", "reap").code == 0
    assert _all(dos_run) == []


def test_an_escalation_calms_when_a_later_tick_does_not_repeat_it(
        workspace: Workspace, dos_run: Callable[..., Ran],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.set_toml("[supervise]\nmax_restarts = 0\nrestart_period_s = 600\n")
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    taken = dos_run("--json", "lease-lane", "acquire", "--lane", "docs", "--owner", "W").json()
    assert dos_run("lease-lane", "reap", "--lease-id", str(taken["lease_id"]),
                   "--force").code == 0
    for tick in range(3):
        monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + tick * 1000))
        assert dos_run("loop").code == 0
    [row] = dos_run("--json", "decisions").json()["rows"]
    assert (row["kind"], row["lane"], row["dup_count"]) == ("RESTART_ESCALATION", "docs", 3)
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 11 * MIN))  # the reap left the period
    assert dos_run("--json", "loop").json()["escalate"] == []
    assert dos_run("--json", "decisions").json()["rows"] == []


@pytest.mark.parametrize(("argv", "says"), [
    (["resolve", "1", "--approve"], "resolve needs to know who decides"),
    (["resolve", "1", "--approve", "--owner", "op"], "no decision #1 is pending"),
    (["resolve", "h0123456789", "--dismiss", "--owner", "op"], "no pending decision has"),
    (["resolve", "first", "--dismiss", "--owner", "op"], "neither a row number nor a handle"),
    (["resolve", "1"], "resolve needs --approve or --dismiss"),
    (["resolve"], "takes one row"),
    (["show"], "takes one row"),
    (["show", "1", "2"], "takes one row"),
    (["show", "1", "--approve"], "go with `resolve N`"),
    (["--dismiss"], "go with `resolve N`"),
    (["resolve", "1", "--approve", "--dismiss", "--owner", "op"], "not allowed with"),
    (["--since", "yesterday-ish"], "is not a time"),
    (["show", "7"], "no decision #7 is pending"),
])
def test_misuse_is_a_usage_error(workspace: Workspace, dos_run: Callable[..., Ran],
                                 argv: list[str], says: str) -> None:
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    ran = dos_run("decisions", *argv)
    assert ran.code == 2, ran
    assert says in ran.err
    assert ran.err.startswith("dos: error: ")
    assert "fix:" in ran.err or "usage:" in ran.err


def test_not_in_the_queue_names_the_listing(workspace: Workspace,
                                            dos_run: Callable[..., Ran]) -> None:
    ran = dos_run("decisions", "resolve", "3", "--dismiss", "--owner", "op")
    assert "`dos decisions --all` lists the rows" in ran.err


def test_a_workspace_without_a_store_has_nothing_and_gets_none(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    assert dos_run("decisions", "--all").code == 0
    assert dos_run("--json", "decisions").json()["rows"] == []
    assert not (workspace.path / ".dos").exists()


def test_an_owner_too_long_is_refused_before_anything_is_written(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    assert dos_run("lease-lane", "acquire", "--lane", "global", "--owner", "A").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "B").code == 1
    ran = dos_run("decisions", "resolve", "1", "--dismiss", "--owner", "x" * 201)
    assert ran.code == 2
    assert api.queue(workspace.config(), everything=True).history == []


def test_a_refreshing_reader_folds_only_what_is_new(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    config = workspace.config()
    assert dos_run("lease-lane", "acquire", "--lane", "global", "--owner", "A").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "B").code == 1
    first = api.queue(config, everything=True)
    assert first.cursor is not None
    for owner in ("B", "B", "C"):
        assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", owner).code == 1
    assert dos_run("arbitrate", "--lane", "docs").code == 1
    again = api.queue(config, everything=True, cursor=first.cursor)
    assert again.rows == api.queue(config, everything=True).rows
    assert [(r.subject, r.dup_count) for r in again.rows] == [("B", 3), ("C", 1), ("docs", 1)]
    # a resolution after the cursor starts the fold over: the row is gone either way
    done = dos_run("decisions", "resolve", again.rows[0].handle, "--dismiss", "--owner", "op")
    assert done.code == 0, done.err
    after = api.queue(config, everything=True, cursor=again.cursor)
    assert [r.subject for r in after.rows] == ["C", "docs"]
    assert first.rows[0].handle == again.rows[0].handle


PLAN = """\
# the auth plan
## 1. AUTH AUTH1 — login
SHIPPED
## 2. AUTH AUTH2 — logout
still open
"""


def test_plan_over_claims_are_oracle_rows_until_dismissed(
        git_repo: Callable[..., Any], capsys: pytest.CaptureFixture[str]) -> None:
    from dos.cli import main

    repo = git_repo("planned")
    repo.commit("scaffold", {"dos.toml": '[lanes]\nconcurrent = ["src"]\n[lanes.trees]\n'
                                         'src = ["src/**"]\n', "docs/auth-plan.md": PLAN})
    repo.commit("AUTH2: add logout", {"src/logout.py": "x\n"})

    def dos(*argv: str) -> Ran:
        capsys.readouterr()
        code = main(["--workspace", str(repo.path), *argv])
        out, err = capsys.readouterr()
        return Ran(code, out, err)
    [row] = dos("--json", "decisions", "--all").json()["rows"]
    assert (row["kind"], row["resolver_kind"], row["subject"], row["proposed_command"]) == (
        "PLAN_OVERCLAIM", "ORACLE", "AUTH AUTH1", "dos verify AUTH AUTH1 --explain")
    assert "docs/auth-plan.md claims AUTH AUTH1 shipped" in row["reason_text"]
    assert dos("decisions", "resolve", row["handle"], "--dismiss", "--owner", "op").code == 0
    answer = dos("--json", "decisions", "--all").json()
    assert answer["rows"] == []
    assert [(h["kind"], h["subject"]) for h in answer["history"]] == [
        ("PLAN_OVERCLAIM", "AUTH AUTH1")]


def test_plans_without_git_are_a_note_not_an_error(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    (workspace.path / "docs").mkdir()
    (workspace.path / "docs" / "auth-plan.md").write_text(PLAN, encoding="utf-8")
    ran = dos_run("decisions", "--all")
    assert ran.code == 0, ran.err
    assert "  note: plan over-claims not checked: " in ran.out


def test_the_window_reads_only_recent_records(workspace: Workspace,
                                              dos_run: Callable[..., Ran],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    assert dos_run("lease-lane", "acquire", "--lane", "global", "--owner", "A",
                   "--ttl-seconds", "864000").code == 0
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "old").code == 1
    assert dos_run("arbitrate", "--lane", "docs").code == 1
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 2 * 86_400_000))
    assert dos_run("lease-lane", "acquire", "--lane", "src", "--owner", "new").code == 1
    assert [r["subject"] for r in _all(dos_run)] == ["new"]
    week = dos_run("--json", "decisions", "--all", "--since", "7d").json()["rows"]
    assert [(r["subject"], r["age_seconds"]) for r in week] == [  # the longest waiting first
        ("old", 172_800), ("docs", 172_800), ("new", 0)]
