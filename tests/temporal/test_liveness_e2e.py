"""`dos liveness` end to end: a real repository, a real lease, time moved by the
store's test clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dos.run_id import mint

if TYPE_CHECKING:
    from tests._support.temporal import Workspace

T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z: the fixture's commits are dated just after


def mint_at(ms: int) -> str:
    return mint("worker", clock_ms=ms).run_id



MIN = 60_000


def test_a_lease_with_and_without_commits(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    sha = ["--run-id", rid, "--start-sha", workspace.start_sha]

    young = workspace.dos("liveness", *sha, at=T0 + MIN)
    assert (young.code, young.out.split()[0]) == (0, "ADVANCING")
    assert "too young" in young.out

    workspace.heartbeat("main", "w1", at=T0 + 11 * MIN)
    spinning = workspace.dos("liveness", *sha, at=T0 + 12 * MIN)
    assert (spinning.code, spinning.out.split()[0]) == (3, "SPINNING")

    workspace.repo.commit("work on the run", {"a.py": "x = 1\n"})  # dated T0 + 2 s
    advancing = workspace.dos("liveness", *sha, "--json", at=T0 + 12 * MIN)
    assert advancing.code == 0
    assert advancing.json()["evidence"]["commits_in_window"] == 1

    # The window is 30 min: the one early commit stops counting, the beat keeps it alive.
    workspace.heartbeat("main", "w1", at=T0 + 40 * MIN)
    later = workspace.dos("liveness", *sha, "--json", at=T0 + 41 * MIN)
    assert later.code == 3
    assert later.json()["evidence"]["commits_since_start"] == 1

    silent = workspace.dos("liveness", *sha, at=T0 + 50 * MIN)
    assert (silent.code, silent.out.split()[0]) == (4, "STALLED")


def test_the_lease_is_found_by_run_id_alone(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.heartbeat("main", "w1", at=T0 + 20 * MIN)
    result = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 21 * MIN)
    assert result.code == 3
    assert result.json()["evidence"]["last_heartbeat_age_ms"] == MIN


def test_a_run_id_minted_long_before_its_lease_is_not_judged_old(workspace: Workspace) -> None:
    rid = mint_at(T0 - 40 * MIN)
    workspace.acquire("main", "w1", rid, at=T0)
    result = workspace.dos("liveness", "--run-id", rid, at=T0 + 1000)
    assert result.code == 0
    assert "too young" in result.out


def test_a_run_id_from_a_fast_clock_is_not_young(workspace: Workspace) -> None:
    # The minting host's clock is an hour ahead; the lease was granted by the store's.
    rid = mint_at(T0 + 60 * MIN)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.heartbeat("main", "w1", at=T0 + 15 * MIN)
    result = workspace.dos("liveness", "--run-id", rid, at=T0 + 15 * MIN)
    assert (result.code, result.out.split()[0]) == (3, "SPINNING")


def test_a_released_lease_is_not_progress_for_ever(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    assert workspace.dos("lease-lane", "release", "--lane", "main", "--owner", "w1",
                         at=T0 + MIN).code == 0
    result = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 20 * MIN)
    assert result.code == 4
    assert result.json()["evidence"]["journal_events_in_window"] == 0


def test_a_new_lease_for_the_run_is_progress(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.dos("lease-lane", "release", "--lane", "main", "--owner", "w1", at=T0 + 15 * MIN)
    workspace.acquire("main", "w1", rid, at=T0 + 16 * MIN)
    result = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 17 * MIN)
    assert result.code == 0
    assert result.json()["evidence"]["journal_events_in_window"] == 1


def test_a_bad_start_sha_is_an_error_not_zero_commits(workspace: Workspace) -> None:
    rid = mint_at(T0)
    result = workspace.dos("liveness", "--run-id", rid, "--start-sha", "deadbeef",
                           "--last-heartbeat-age-ms", "5", at=T0 + 1000)
    assert result.code == 2
    assert "deadbeef" in result.err
    assert "fix:" in result.err


def test_a_start_sha_off_the_ref_is_an_error(workspace: Workspace) -> None:
    repo = workspace.repo
    repo.git("checkout", "-q", "-b", "side")
    side = repo.commit("side work", {"side.py": "1\n"})
    repo.git("checkout", "-q", "main")
    result = workspace.dos("liveness", "--run-id", mint_at(T0), "--start-sha", side,
                           at=T0 + 1000)
    assert result.code == 2
    assert "not an ancestor" in result.err


def test_commits_on_another_branch_are_not_the_runs(workspace: Workspace) -> None:
    repo = workspace.repo
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    repo.git("checkout", "-q", "-b", "agent/run")
    repo.commit("the run's own work", {"run.py": "1\n"})
    repo.git("checkout", "-q", "main")
    args = ["--run-id", rid, "--start-sha", workspace.start_sha, "--last-heartbeat-age-ms",
            "0"]
    on_head = workspace.dos("liveness", *args, at=T0 + 20 * MIN)
    on_branch = workspace.dos("liveness", *args, "--ref", "agent/run", at=T0 + 20 * MIN)
    assert (on_head.code, on_branch.code) == (3, 0)


def test_a_confirmed_dead_pid_demotes(workspace: Workspace) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = done.stdout.strip()
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    alive = workspace.dos("liveness", "--run-id", rid, at=T0 + MIN)
    dead = workspace.dos("liveness", "--run-id", rid, "--pid", dead_pid, at=T0 + MIN)
    unprobed = workspace.dos("liveness", "--run-id", rid, "--pid", dead_pid, "--no-proc",
                             at=T0 + MIN)
    assert (alive.code, dead.code, unprobed.code) == (0, 4, 0)
    assert "process is gone" in dead.out


def test_liveness_thresholds_come_from_dos_toml(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    before = workspace.dos("liveness", "--run-id", rid, at=T0 + MIN)
    (workspace.path / "dos.toml").write_text("[liveness]\ngrace_s = 10\n", encoding="utf-8")
    after = workspace.dos("liveness", "--run-id", rid, at=T0 + MIN)
    assert (before.code, after.code) == (0, 3)


def test_contract_errors_exit_2(workspace: Workspace) -> None:
    bad_id = workspace.dos("liveness", "--run-id", "RID-XYZ")
    negative = workspace.dos("liveness", "--run-id", mint_at(T0), "--last-heartbeat-age-ms",
                             "-5000")
    (workspace.path / "dos.toml").write_text("[liveness]\ngrace_s = -1\n", encoding="utf-8")
    bad_policy = workspace.dos("liveness", "--run-id", mint_at(T0))
    assert (bad_id.code, negative.code, bad_policy.code) == (2, 2, 2)
    assert "Traceback" not in bad_id.err + negative.err + bad_policy.err


def test_liveness_reads_never_create_the_store(workspace: Workspace) -> None:
    workspace.dos("liveness", "--run-id", mint_at(T0), "--start-sha", workspace.start_sha)
    assert not (workspace.path / ".dos").exists()


def test_python_api_heartbeats_keep_a_run_alive(workspace: Workspace) -> None:
    from dos.admission import lane_lease
    from dos.admission.lease import LeaseRequest
    from dos.config import load_workspace_config
    from dos.temporal.evidence import judge_run

    config = load_workspace_config(workspace.path)
    rid = mint_at(T0)
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0))
    lane_lease.acquire(config, LeaseRequest(lane="main"), owner="api", run_id=rid, ttl_s=3600)
    workspace.monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(T0 + 20 * MIN))
    assert lane_lease.heartbeat(config, lane="main", owner="api").beat
    spinning, _trail, _commits = judge_run(config, run_id=rid, now_ms=T0 + 21 * MIN)
    stalled, _trail, _commits = judge_run(config, run_id=rid, now_ms=T0 + 30 * MIN)
    assert (spinning.verdict.value, stalled.verdict.value) == ("SPINNING", "STALLED")


def test_probe_process_answers_for_this_host_only() -> None:
    import os

    from dos.temporal.evidence import probe_process

    assert probe_process(os.getpid())[0] is True
    assert probe_process(None)[0] is None
    assert probe_process(0)[0] is None
    assert probe_process(os.getpid(), "some-other-host")[0] is None


def _two_lanes(workspace: Workspace) -> None:
    (workspace.path / "dos.toml").write_text(
        '[lanes]\nconcurrent = ["api", "web"]\n[lanes.trees]\n'
        'api = ["api/**"]\nweb = ["web/**"]\n', encoding="utf-8")


def test_the_lease_start_counts_commits_in_its_own_tree(workspace: Workspace) -> None:
    _two_lanes(workspace)
    rid = mint_at(T0)
    lease = workspace.acquire("api", "w1", rid, at=T0)
    assert lease["lease_id"] == 1
    workspace.heartbeat("api", "w1", at=T0 + 11 * MIN)
    workspace.repo.commit("someone else's work", {"web/page.html": "<p>\n"})
    others = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 12 * MIN)
    assert others.code == 3, others.out  # another lane's commit is not this run's progress
    assert others.json()["evidence"]["commits_since_start"] == 0
    workspace.repo.commit("the run's own work", {"api/handler.py": "x = 1\n"})
    own = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 12 * MIN)
    assert own.code == 0, own.out
    assert own.json()["evidence"]["commits_in_window"] == 1


def test_a_lease_records_head_and_refuses_a_bad_start(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    live = workspace.dos("lease-lane", "live", "--json", at=T0 + MIN)
    assert live.json()[0]["start_sha"] == workspace.start_sha
    bad = workspace.dos("lease-lane", "acquire", "--lane", "global", "--owner", "w2",
                        "--start-sha", "not-a-commit", at=T0 + MIN)
    assert bad.code == 2
    assert "not a commit" in bad.err


def test_a_rewritten_start_leaves_only_the_journal_rung(workspace: Workspace) -> None:
    rid = mint_at(T0)
    workspace.acquire("main", "w1", rid, at=T0)
    workspace.repo.git("checkout", "-q", "--orphan", "rewritten")
    workspace.repo.commit("a history without the lease's start", {"b.py": "1\n"})
    workspace.heartbeat("main", "w1", at=T0 + 11 * MIN)
    result = workspace.dos("liveness", "--run-id", rid, "--json", at=T0 + 12 * MIN)
    assert result.code == 3
    assert result.json()["evidence"]["commits_since_start"] == 0
