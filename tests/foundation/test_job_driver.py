"""The job driver (``--driver job``, alias ``--job``): the reference application's lanes,
its repository layout for plans and run records, and its strict stamp grammar, loaded
by the same loader as every driver."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from tests._support.git import GitRepo

from dos.cli import main
from dos.plugins import load_driver_config


def _driver(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return str(json.loads(capsys.readouterr().out)["driver"])


def test_the_job_policy(tmp_path: Path) -> None:
    config = load_driver_config("job", tmp_path)
    assert config.driver == "job"
    assert config.lanes.exclusive == ("orchestration", "global")
    assert config.lanes.concurrent == ()
    assert tuple(config.lanes.tree_for("global")) == ("**/*",)
    assert "docs/_dispatch_loops/**/*" in config.lanes.tree_for("orchestration")
    assert config.paths.execution_state == tmp_path.resolve() / "docs/_plans/execution-state.yaml"
    assert config.paths.plans_glob == "docs/**/*-plan.md"
    assert config.paths.run_records == ("docs/_dispatch_loops", "docs/_chained_runs",
                                        "docs/_fanout_runs")
    assert config.stamp.subject_dirs[0] == "docs"
    assert config.stamp.sub_phase_parent_fallback is True


def test_it_is_an_entry_point_of_the_driver_group() -> None:
    found = {e.name: e.value for e in entry_points(group="dos.drivers")}
    assert found["job"] == "dos.drivers.job"


@pytest.mark.parametrize(("argv", "driver"), [
    (["--job", "doctor"], "job"),
    (["doctor", "--job"], "job"),
    (["--job", "doctor", "--driver", "workshop"], "workshop"),
    (["doctor", "--driver", "workshop", "--job"], "workshop"),
    (["--driver", "workshop", "--job", "doctor"], "workshop"),
])
def test_job_is_an_alias_an_explicit_driver_wins(argv: list[str], driver: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _driver(capsys, ["--workspace", str(tmp_path), *argv, "--json"]) == driver


def test_the_strict_stamp_grammar_wants_a_directory_prefix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = GitRepo(tmp_path)
    repo.commit("docs/RS: RS4 — archetype", {"go/rs.go": "package rs\n"})
    repo.commit("DT7: handler", {"go/dt.go": "package dt\n"})
    base = ["--workspace", str(tmp_path), "--job", "verify"]
    assert main([*base, "RS", "RS4"]) == 0
    assert main([*base, "DT", "DT7"]) == 1  # no directory prefix: not a stamp here
    assert main(["--workspace", str(tmp_path), "verify", "DT", "DT7"]) == 0  # the generic one
    capsys.readouterr()


def test_health_reads_the_run_records_the_layout_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = GitRepo(tmp_path)
    for n in range(3):
        repo.commit(f"archive 20260101T0{n}00Z orchestration lane verdict=WEDGE renderer hung",
                    {f"docs/_dispatch_loops/run{n}.md": f"{n}\n"})
    base = ["--workspace", str(tmp_path), "health", "--lane", "orchestration", "--json"]
    capsys.readouterr()
    assert main(["--job", *base]) == 3
    assert json.loads(capsys.readouterr().out)["blocker_runs"] == 3
    # the dos layout keeps runs in the store: the same repository has no history there
    (tmp_path / "dos.toml").write_text("[lanes]\nexclusive = ['orchestration']\n"
                                       "[lanes.trees]\norchestration = ['docs/**']\n",
                                       encoding="utf-8")
    assert main(base) == 0
