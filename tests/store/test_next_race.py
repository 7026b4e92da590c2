"""Sixteen real processes ask `dos next` at once on a plan of ten units: ten get ten
different units, six get "nothing pickable" with the reason, and no unit is handed out
twice — on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests._support.git import GitRepo
from tests._support.postgres import child_env, write_workspace

from dos.admission.lane_lease import live_leases
from dos.config import load_workspace_config
from dos.record.journal_admin import verify

WORKERS = 16
UNITS = 10
PLAN = "id: AUTH\n" + "".join(f"## AUTH{n} — part {n}\n" for n in range(1, UNITS + 1))
SQLITE_TOML = """\
[lanes]
concurrent = ["src"]
exclusive = ["global"]
[lanes.trees]
src = ["src/**"]
global = ["**"]
"""
# Mutual exclusion is the claim, not latency: 16 writers on 2 cores may queue a while.
PATIENT = "\n[store]\nbusy_timeout_ms = 120000\n"


def _repo(root: Path) -> None:
    repo = GitRepo(root)
    repo.commit("plan", {"docs/auth-plan.md": PLAN})


def _race(root: Path) -> list[tuple[int, dict[str, object]]]:
    argv = [[sys.executable, "-m", "dos", "--workspace", str(root), "next", "--json",
             "--lane", "src", "--owner", f"worker-{n}"] for n in range(WORKERS)]
    children = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=child_env(), text=True) for args in argv]
    results = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert out.strip(), f"exit {child.returncode} with no verdict; stderr: {err}"
        results.append((child.returncode, json.loads(out)))
    return results


def _check(root: Path, results: list[tuple[int, dict[str, object]]]) -> None:
    picked = [answer for code, answer in results if code == 0]
    held = [(code, answer) for code, answer in results if code != 0]
    units = [answer["unit"] for answer in picked]
    assert len(picked) == UNITS, results
    assert sorted(units, key=str) == sorted((f"AUTH{n}" for n in range(1, UNITS + 1)), key=str)
    assert len(set(units)) == UNITS  # no unit handed out twice
    assert all(isinstance(answer["lease"], dict) for answer in picked)
    assert len(held) == WORKERS - UNITS
    for code, answer in held:
        assert code == 4, answer
        assert answer["verdict"] == "HELD"
        assert answer["because"] == "ALL_LEASED"
        assert str(answer["reason"]).startswith("nothing pickable, because")
        assert answer["unit"] is None
    config = load_workspace_config(root)
    live = live_leases(config)
    assert sorted(lease.loop_ts for lease in live) == sorted(f"unit:AUTH/{u}" for u in units)
    assert {lease.holder for lease in live} == {answer["owner"] for answer in picked}
    assert verify(config).ok


def test_sixteen_workers_ten_units_sqlite(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "dos.toml").write_text(SQLITE_TOML + PATIENT, encoding="utf-8")
    _repo(root)
    _check(root, _race(root))


@pytest.mark.postgres
def test_sixteen_workers_ten_units_postgres(tmp_path: Path, postgres_url: str,
                                             workspace_id: str) -> None:
    workspace = write_workspace(tmp_path / "ws", postgres_url, workspace_id,
                                "busy_timeout_ms = 120000\n")
    _repo(workspace.path)
    _check(workspace.path, _race(workspace.path))
