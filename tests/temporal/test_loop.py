"""`dos loop` and the supervisor driver over a real store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from dos import config as dos_config
from dos.drivers import supervisor
from dos.run_id import mint
from dos.store import reading
from dos.temporal.evidence import iter_records
from dos.temporal.supervise import Disposition, SupervisePolicy

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the fixture's commits are dated just after


def mint_at(ms: int) -> str:
    return mint("worker", clock_ms=ms).run_id


MIN = 60_000


@pytest.fixture
def roster(workspace: Workspace) -> Workspace:
    """A fresh `dos init` workspace with three top-level directories."""
    for name in ("docs", "src", "tests"):
        workspace.repo.write(f"{name}/README.md", f"{name}\n")
    assert workspace.dos("init").code == 0
    return workspace


def _spawn_lines(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if line.startswith("spawn ")]


def _records(workspace: Workspace, op: str) -> list[Any]:
    config = dos_config.load_workspace_config(workspace.path)
    with reading(config) as tx:
        return [] if tx is None else list(iter_records(tx, op=op))


def test_target_3_on_a_fresh_init_proposes_three_distinct_lanes(roster: Workspace) -> None:
    result = roster.dos("loop", "--target", "3")
    assert result.code == 0
    assert result.out.splitlines()[0] == "SUPERVISE FILLING: alive 0/3, admissible 3"
    assert _spawn_lines(result.out) == ["docs", "src", "tests"]
    assert not (roster.path / ".dos").exists()  # planning writes nothing


def test_held_lanes_are_not_spawned_onto(roster: Workspace) -> None:
    roster.acquire("docs", "w1", mint_at(T0), at=T0)
    result = roster.dos("loop", "--target", "3", "--json", at=T0 + MIN)
    plan = result.json()
    assert plan["alive"] == 1
    assert [row["lane"] for row in plan["spawn"]] == ["src", "tests"]


def test_recorded_spawns_are_pending_so_a_second_tick_does_not_double_spawn(
        roster: Workspace) -> None:
    first = roster.dos("loop", "--target", "2", "--record", at=T0)
    second = roster.dos("loop", "--target", "2", "--record", at=T0 + 1000)
    assert _spawn_lines(first.out) == ["docs", "src"]
    assert second.out.startswith("SUPERVISE AT_TARGET: alive 2/2")
    assert _spawn_lines(second.out) == []
    spawns = _records(roster, "SPAWN")
    assert [record.lane for record in spawns] == ["docs", "src"]
    assert all(record.run_id.startswith("RID-") for record in spawns)


def test_a_lane_reaped_more_than_k_times_in_p_is_escalated_not_respawned(
        roster: Workspace) -> None:
    (roster.path / "dos.toml").write_text(
        (roster.path / "dos.toml").read_text(encoding="utf-8")
        + "\n[supervise]\ntarget = 1\nmax_restarts = 2\nrestart_period_s = 3600\n",
        encoding="utf-8")
    config = dos_config.load_workspace_config(roster.path)
    policy = SupervisePolicy.from_table(config.table("supervise"))
    reports = []
    for cycle in range(3):
        start = T0 + cycle * 10 * MIN
        roster.acquire("docs", "worker", mint_at(start), at=start)
        roster.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(start + 6 * MIN))
        reports.append(supervisor.tick(config, policy, now_ms=start + 6 * MIN,
                                       root_run_id=mint_at(T0)))
    assert [len(report.reaped) for report in reports] == [1, 1, 1]
    assert [[item["lane"] for item in report.spawned] for report in reports[:2]] == \
        [["docs"], ["docs"]]
    last = reports[2]
    assert last.escalated == ["docs"]
    assert [item["lane"] for item in last.spawned] == ["src"]  # filled elsewhere
    assert len(_records(roster, "REAP")) == 3


def test_reaps_outside_the_restart_period_do_not_escalate(roster: Workspace) -> None:
    config = dos_config.load_workspace_config(roster.path)
    policy = SupervisePolicy(target=1, max_restarts=0, restart_period_ms=5 * MIN)
    roster.acquire("docs", "worker", mint_at(T0), at=T0)
    roster.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 6 * MIN))
    first = supervisor.tick(config, policy, now_ms=T0 + 6 * MIN, root_run_id=mint_at(T0))
    assert first.escalated == ["docs"]
    later = supervisor.plan_tick(config, policy, now_ms=T0 + 20 * MIN, pending_ms=1)
    assert [plan.lane for plan in later.of(Disposition.SPAWN)] == ["docs"]
    assert later.of(Disposition.ESCALATE) == ()


def test_a_spinner_is_flagged_and_its_halt_proposed_by_spin_duration(roster: Workspace) -> None:
    (roster.path / "dos.toml").write_text(
        (roster.path / "dos.toml").read_text(encoding="utf-8")
        + "\n[supervise]\nspin_halt_after_minutes = 20.5\n", encoding="utf-8")
    rid = mint_at(T0)
    roster.acquire("docs", "w1", rid, at=T0)
    roster.heartbeat("docs", "w1", at=T0 + 30 * MIN)
    result = roster.dos("loop", "--target", "1", at=T0 + 30 * MIN)
    assert "flag docs  (worker is SPINNING" in result.out
    assert f"dos halt --handle {rid} --lane docs" in result.out
    assert "1800000 ms (>= spin_halt_after_ms 1230000)" in result.out


@pytest.mark.parametrize("args", [["--target", "-1"], ["--max-concurrency", "0"],
                                  ["--interval", "-1"], ["--now-ms", "-5"]])
def test_invalid_policy_values_exit_2_without_a_traceback(roster: Workspace,
                                                          args: list[str]) -> None:
    result = roster.dos("loop", *args)
    assert result.code == 2
    assert result.err.startswith("dos: error:")
    assert "Traceback" not in result.err


def test_a_bad_supervise_table_is_a_config_error(roster: Workspace) -> None:
    (roster.path / "dos.toml").write_text("[supervise]\nbogus = 1\n", encoding="utf-8")
    result = roster.dos("loop")
    assert result.code == 2
    assert "bogus" in result.err
