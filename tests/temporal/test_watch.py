"""`dos watch`: the watchdog proposes halts once per episode and never signals."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dos import config as dos_config
from dos.drivers import watchdog
from dos.run_id import mint
from dos.store import reading
from dos.temporal.evidence import iter_records

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the fixture's commits are dated just after


def mint_at(ms: int) -> str:
    return mint("worker", clock_ms=ms).run_id


MIN = 60_000


def _halts(workspace: Workspace) -> list[Any]:
    config = dos_config.load_workspace_config(workspace.path)
    with reading(config) as tx:
        return [] if tx is None else list(iter_records(tx, op="HALT"))


def _spinning_run(workspace: Workspace, *, lane: str = "main") -> str:
    """A run whose lease is beating but which has made no progress for 15 minutes."""
    rid = mint_at(T0)
    workspace.acquire(lane, "w1", rid, at=T0)
    workspace.heartbeat(lane, "w1", at=T0 + 15 * MIN)
    return rid


def test_three_cron_invocations_record_exactly_one_halt(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    outputs = [workspace.dos_process("watch", "--track", rid, "--max-ticks", "1",
                                     at=T0 + 15 * MIN + offset) for offset in (0, 1000, 2000)]
    assert [result.code for result in outputs] == [0, 0, 0]
    assert "1 halt proposed" in outputs[0].out
    assert all("0 halt proposed" in result.out for result in outputs[1:])
    halts = _halts(workspace)
    assert len(halts) == 1
    assert halts[0].run_id == rid
    assert halts[0].holder == "watchdog"
    assert "SPINNING" in halts[0].payload["reason"]


def test_the_watchdog_never_signals_or_starts_a_process(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    rid = _spinning_run(workspace)
    real_popen = subprocess.Popen
    started: list[str] = []

    def forbidden(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the watchdog must not signal or start a process")

    def only_git(args: Any, *rest: Any, **kwargs: Any) -> Any:
        # Reading git is how evidence is gathered; anything else would be acting.
        started.append(Path(str(args[0])).name)
        if started[-1] != "git":
            forbidden()
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(os, "kill", forbidden)
    monkeypatch.setattr(os, "killpg", forbidden)
    monkeypatch.setattr(subprocess, "Popen", only_git)
    result = workspace.dos("watch", "--track", f"{rid}:::: 4242", "--command", "kill 4242",
                           "--json", at=T0 + 15 * MIN)
    assert result.code == 0, result.err
    assert result.json()["proposed_halts"] == [rid]
    assert _halts(workspace)[0].payload["command"] == "kill 4242"
    assert set(started) <= {"git"}


def test_track_accepts_an_iso_loop_ts_with_colons(workspace: Workspace) -> None:
    rid = mint_at(T0)
    lease = workspace.acquire("main", "w1", "", at=T0)  # a lease that names no run
    workspace.heartbeat("main", "w1", at=T0 + 15 * MIN)
    loop_ts = lease["loop_ts"]
    assert ":" in loop_ts
    result = workspace.dos("watch", "--track", f"{rid}::main:{loop_ts}:pid:77", "--json",
                           at=T0 + 15 * MIN)
    assert result.json()["verdicts"] == {rid: "SPINNING"}
    halt = _halts(workspace)[0]
    assert (halt.lane, halt.loop_ts, halt.payload["handle"]) == ("main", loop_ts, "pid:77")


def test_track_accepts_a_json_spec(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    spec = f'{{"run_id": "{rid}", "command": "stop {{run_id}}", "handle": "h1"}}'
    result = workspace.dos("watch", "--track", spec, at=T0 + 15 * MIN)
    assert f"HALT proposed: {rid} (SPINNING) — run: stop {rid}" in result.out


def test_discover_honours_command_and_a_run_given_twice_is_assessed_once(
        workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    result = workspace.dos("watch", "--discover", "--track", rid, "--command", "kill -TERM 9",
                           "--json", at=T0 + 15 * MIN)
    tick = result.json()
    assert tick["watched"] == 1
    assert tick["proposed_halts"] == [rid]
    assert _halts(workspace)[0].payload["command"] == "kill -TERM 9"


def test_discover_alone_uses_the_command(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    result = workspace.dos("watch", "--discover", "--command", "pkill worker",
                           at=T0 + 15 * MIN)
    assert f"HALT proposed: {rid} (SPINNING) — run: pkill worker" in result.out


def test_a_recovered_run_earns_a_fresh_proposal_when_it_relapses(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    track = ["watch", "--track", f"{rid}:{workspace.start_sha}"]
    assert "1 halt proposed" in workspace.dos(*track, at=T0 + 15 * MIN).out
    workspace.repo.commit("progress", {"p.py": "1\n"})  # dated T0 + 2 s: in the window
    assert "1 advancing" in workspace.dos(*track, at=T0 + 16 * MIN).out
    workspace.heartbeat("main", "w1", at=T0 + 40 * MIN)
    assert "1 halt proposed" in workspace.dos(*track, at=T0 + 40 * MIN).out
    assert len(_halts(workspace)) == 2


def test_the_reproposal_window(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    workspace.dos("watch", "--track", rid, "--repropose-ms", "60000", at=T0 + 15 * MIN)
    workspace.heartbeat("main", "w1", at=T0 + 16 * MIN)
    inside = workspace.dos("watch", "--track", rid, "--repropose-ms", "60000",
                           at=T0 + 15 * MIN + 59_999)
    at_edge = workspace.dos("watch", "--track", rid, "--repropose-ms", "60000",
                            at=T0 + 16 * MIN)
    assert "already proposed" in inside.out
    assert "1 halt proposed" in at_edge.out
    assert len(_halts(workspace)) == 2


def test_a_stalled_run_within_its_budget_is_not_halted(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    within = workspace.dos("watch", "--track", rid, "--budget-ms", str(60 * MIN),
                           at=T0 + 20 * MIN)
    past = workspace.dos("watch", "--track", rid, "--budget-ms", str(60 * MIN),
                         at=T0 + 61 * MIN)
    assert f"stalled-within-budget: {rid}" in within.out
    assert "1 halt proposed" in past.out
    assert "STALLED (hung past budget)" in _halts(workspace)[0].payload["reason"]


def test_a_young_run_without_a_heartbeat_is_not_halted(workspace: Workspace) -> None:
    rid = mint_at(T0)
    result = workspace.dos("watch", "--track", f"{rid}:{workspace.start_sha}", "--json",
                           at=T0 + 1000)
    assert result.json()["advancing"] == [rid]
    assert _halts(workspace) == []


def test_watch_ticks_with_a_pinned_clock(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    result = workspace.dos("watch", "--track", rid, "--max-ticks", "3", "--interval", "0",
                           "--now-ms", str(T0 + 15 * MIN), "--json")
    ticks = [line for line in result.out.splitlines() if line.startswith("{")]
    assert len(ticks) == 3
    assert len(_halts(workspace)) == 1


def test_a_bad_start_sha_is_reported_not_halted(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    result = workspace.dos("watch", "--track", f"{rid}:deadbeef", "--json", at=T0 + 15 * MIN)
    assert result.code == 0
    tick = result.json()
    assert tick["skipped"] == [rid]
    assert "deadbeef" in tick["errors"][rid]
    assert _halts(workspace) == []


@pytest.mark.parametrize("args", [
    [],
    ["--track", ":abc"],
    ["--track", "RID-1M8HSC4V72JNYG0", "--budget-ms", "-1"],
    ["--track", "RID-1M8HSC4V72JNYG0", "--max-ticks", "0"],
    ["--track", '{"run_id": "RID-1M8HSC4V72JNYG0", "bogus": 1}'],
    ["--track", "{not json"],
])
def test_usage_errors_exit_2(workspace: Workspace, args: list[str]) -> None:
    result = workspace.dos("watch", *args)
    assert result.code == 2
    assert result.err.startswith("dos: error:")


def test_tick_api_with_an_injected_halt(workspace: Workspace) -> None:
    rid = _spinning_run(workspace)
    calls: list[dict[str, Any]] = []
    config = dos_config.load_workspace_config(workspace.path)
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 15 * MIN))
    runs = [watchdog.TrackedRun(run_id=rid), watchdog.TrackedRun(run_id="BOGUS")]
    actions = watchdog.tick(config, runs, now_ms=T0 + 15 * MIN,
                            halt=lambda _cfg, **kwargs: calls.append(kwargs))
    assert actions.proposed_halts == [rid]
    assert actions.skipped == ["BOGUS"]
    assert calls[0]["owner"] == "watchdog"
    assert calls[0]["run_id"] == rid


@pytest.mark.parametrize(("spec", "expected"), [
    ("RID-1M8HSC4V72JNYG0", ("RID-1M8HSC4V72JNYG0", "", "", "", "")),
    ("RID-1M8HSC4V72JNYG0:abc1234", ("RID-1M8HSC4V72JNYG0", "abc1234", "", "", "")),
    ("RID-1M8HSC4V72JNYG0::main:L-OLD:4242", ("RID-1M8HSC4V72JNYG0", "", "main", "L-OLD",
                                               "4242")),
    ("RID-1M8HSC4V72JNYG0::main:2026-11-28T19:09:34Z",
     ("RID-1M8HSC4V72JNYG0", "", "main", "2026-11-28T19:09:34Z", "")),
    ("RID-1M8HSC4V72JNYG0::main:2026-11-28T19:09:34Z:container:abc",
     ("RID-1M8HSC4V72JNYG0", "", "main", "2026-11-28T19:09:34Z", "container:abc")),
    ("RID-1M8HSC4V72JNYG0::main:2026-11-28T19:09Z:7",
     ("RID-1M8HSC4V72JNYG0", "", "main", "2026-11-28T19:09Z", "7")),
])
def test_track_spec_grammar(spec: str, expected: tuple[str, ...]) -> None:
    from dos.api.supervision import parse_track

    tracked = parse_track(spec, budget_ms=5, command="stop")
    got = (tracked.run_id, tracked.start_sha, tracked.lane, tracked.loop_ts, tracked.handle)
    assert got == expected
    assert (tracked.budget_ms, tracked.stop_command) == (5, "stop")
