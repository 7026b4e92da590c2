"""Real processes racing for one lane: exactly one winner each time, every loser
refused with a reason, the journal chain intact."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest
from tests._support.leases import Workspace

from dos.admission import lane_lease
from dos.record.journal_admin import tail, verify

PROCESSES = 32
ROUNDS = 20


def _race(argv: list[list[str]], env: dict[str, str]) -> list[tuple[int, dict[str, object]]]:
    children = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env, text=True) for args in argv]
    results = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert out.strip(), f"exit {child.returncode} with no verdict; stderr: {err}"
        assert child.returncode in (0, 1), f"exit {child.returncode}: {out} {err}"
        results.append((child.returncode, json.loads(out)))
    return results


@pytest.mark.slow  # 640 interpreter starts: about a minute on 2 cores


def test_32_processes_one_lane_exactly_one_winner_20_times(
        workspace: Workspace, dos_argv: Callable[..., list[str]],
        subprocess_env: Callable[..., dict[str, str]]) -> None:
    # The claim is mutual exclusion, not latency: on a loaded 2-core machine 32
    # writers can queue for longer than the default 5 s busy timeout.
    workspace.set_toml("\n[store]\nbusy_timeout_ms = 120000\n")
    env = subprocess_env()
    tokens = []
    for round_no in range(ROUNDS):
        argv = [dos_argv("lease-lane", "acquire", "--json", "--lane", "src", "--owner",
                         f"r{round_no}-w{index}") for index in range(PROCESSES)]
        results = _race(argv, env)
        winners = [verdict for code, verdict in results if code == 0]
        losers = [(code, verdict) for code, verdict in results if code != 0]
        assert len(winners) == 1, f"round {round_no}: {len(winners)} winners"
        assert all(code == 1 for code, _ in losers), {code for code, _ in losers}
        for _code, verdict in losers:
            assert verdict["outcome"] == "refuse"
            assert verdict["reason"]
            assert verdict["reason_class"]
        winner = winners[0]
        tokens.append(int(str(winner["lease_id"])))
        live = lane_lease.live_leases(workspace.config())
        assert [(lease.lane, lease.holder) for lease in live] == [("src", winner["owner"])]
        assert lane_lease.release(workspace.config(), lane="src",
                                  owner=str(winner["owner"])).released
    assert tokens == sorted(set(tokens))
    report = verify(workspace.config())
    assert report.ok, report.to_dict()
    ops = [record.op for record in tail(workspace.config(), 0)]
    assert ops.count("ACQUIRE") == ROUNDS
    assert ops.count("REFUSE") == ROUNDS * (PROCESSES - 1)
    assert ops.count("RELEASE") == ROUNDS


def test_processes_sharing_an_owner_do_not_share_the_critical_section(
        workspace: Workspace, dos_argv: Callable[..., list[str]],
        subprocess_env: Callable[..., dict[str, str]]) -> None:
    workspace.set_toml("\n[store]\nbusy_timeout_ms = 120000\n")
    argv = [dos_argv("lease-lane", "acquire", "--json", "--lane", "docs", "--owner", "SAME")
            for _ in range(12)]
    results = _race(argv, subprocess_env())
    # One grant; the other eleven find the owner already holding the lane and renew
    # that very lease (a re-acquire by its holder is idempotent), one at a time.
    assert [code for code, _ in results] == [0] * 12
    assert len({verdict["lease_id"] for _, verdict in results}) == 1
    assert sorted(bool(verdict["renewed"]) for _, verdict in results) == [False] + [True] * 11
    assert len(lane_lease.live_leases(workspace.config())) == 1
    records = tail(workspace.config(), 0)
    assert [record.seq for record in records] == list(range(1, 13))
    assert [record.op for record in records] == ["ACQUIRE"] + ["HEARTBEAT"] * 11
    assert verify(workspace.config()).ok
