"""The crash test, with real processes on SQLite and on PostgreSQL: a worker records its
intent and two steps, commits one, and is SIGKILLed; `dos resume` names the step it
died in; `dos reap --apply` ends the dead run's lease and nothing a live worker holds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo
from tests._support.postgres import LANES, child_env
from tests.store.conftest import _session_database, postgres_url  # noqa: F401 - fixtures

from dos.run_id import mint

# A worker: lease a lane (recording its own pid), declare steps, work, then wait to die.
WORKER = r"""
import os, subprocess, sys, time
ws, lane, owner, rid, ttl, kind = sys.argv[1:]
def dos(*args):
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", ws, *args],
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"dos {args}: {done.returncode} {done.stderr}")
    return done.stdout
def git(*args):
    return subprocess.run(["git", *args], cwd=ws, check=True, capture_output=True,
                          text=True).stdout.strip()
dos("lease-lane", "acquire", "--lane", lane, "--owner", owner, "--run-id", rid,
    "--ttl-seconds", ttl, "--pid", str(os.getpid()))
dos("intent", "start", rid, "--steps", "schema,api,tests", "--lane", lane, "--unit",
    f"unit-{owner}")
if kind == "dies":
    with open(os.path.join(ws, "src", "schema.sql"), "w") as handle:
        handle.write("create table t (id int);\n")
    git("add", "src/schema.sql")
    git("commit", "-q", "-m", "schema")
    dos("intent", "step", rid, "schema", "--done", "--commit", git("rev-parse", "HEAD"))
    dos("intent", "step", rid, "api", "--started")
else:
    with open(os.path.join(ws, "docs", "live.md"), "w") as handle:
        handle.write("work in progress\n")
# a temporary file of this process's own in .dos/, as a hook cache write leaves it
with open(os.path.join(ws, ".dos", f".hook-cache.json.{os.getpid()}.ab12.tmp"), "w") as f:
    f.write("{}")
print("ready", flush=True)
time.sleep(3600)
"""


def _workspace(root: Path, store: str) -> GitRepo:
    root.mkdir()
    repo = GitRepo(root)
    (root / "src").mkdir()
    (root / "docs").mkdir()
    repo.commit("scaffold", {"dos.toml": LANES + store, "src/.keep": "", "docs/.keep": ""})
    return repo


@pytest.fixture(params=["sqlite", "postgres"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> GitRepo:
    if request.param == "sqlite":
        return _workspace(tmp_path / "ws", "")
    url = str(request.getfixturevalue("postgres_url"))
    store = (f"\n[store]\nurl = {json.dumps(url)}\n"
             f"workspace_id = {json.dumps('crash-' + uuid.uuid4().hex)}\n")
    return _workspace(tmp_path / "ws", store)


def _dos(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dos", "--workspace", str(root), *args],
                          capture_output=True, text=True, env=child_env(**env), check=False,
                          timeout=120)


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=30)  # reaps it and closes its pipes


def _start(root: Path, workers: list[subprocess.Popen[str]], lane: str, owner: str, *,
           ttl: str, kind: str) -> tuple[subprocess.Popen[str], str]:
    rid = mint(owner).run_id
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(root), lane, owner, rid, ttl, kind],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
    workers.append(worker)
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.strip() == "ready", worker.stderr.read() if worker.stderr else ""
    return worker, rid


def test_a_killed_worker_is_resumed_and_reaped(repo: GitRepo,
                                               workers: list[subprocess.Popen[str]]) -> None:
    root = repo.path
    (root / ".dos").mkdir(exist_ok=True)
    dying, dead_rid = _start(root, workers, "src", "dies", ttl="2", kind="dies")
    _alive, live_rid = _start(root, workers, "docs", "lives", ttl="3600",
                                 kind="lives")
    schema_sha = repo.git("rev-parse", "HEAD")
    os.kill(dying.pid, signal.SIGKILL)
    dying.wait(timeout=30)

    resumed = _dos(root, "resume", dead_rid, "--json")
    plan = _json(resumed)
    assert (resumed.returncode, plan["verdict"], plan["resume_step"]) == (0, "RESUMABLE", "api")
    assert (plan["resume_sha"], plan["residual"]) == (schema_sha, ["api", "tests"])

    later = str(int(time.time() * 1000) + 10 * 60_000)  # past the dead lease's 2 s TTL
    applied = _dos(root, "reap", "--apply", "--json", DOS_TEST_CLOCK_MS=later)
    report = _json(applied)
    assert applied.returncode == 0, applied.stderr
    assert [lease["run_id"] for lease in report["leases"]] == [dead_rid]
    assert [run["run_id"] for run in report["runs"]] == [dead_rid]
    assert report["files"] == [f".dos/.hook-cache.json.{dying.pid}.ab12.tmp"]

    live = _json(_dos(root, "lease-lane", "live", "--json", DOS_TEST_CLOCK_MS=later))
    assert [(lease["run_id"], lease["holder"]) for lease in live] == [(live_rid, "lives")]
    assert (root / ".dos" / f".hook-cache.json.{_alive.pid}.ab12.tmp").exists()
    assert (root / "docs" / "live.md").read_text(encoding="utf-8") == "work in progress\n"
    assert _json(_dos(root, "intent", "show", live_rid, "--json"))["reaped"] is False
    journal = _json(_dos(root, "journal", "tail", "50", "--json"))
    reaped = [r for r in journal if r["op"] in ("REAP", "EXPIRE")]
    assert [(r["op"], r["run_id"]) for r in reaped] == [("REAP", dead_rid)]

    again = _dos(root, "resume", dead_rid, "--json", "--no-record")
    assert _json(again)["resume_step"] == "api"  # reaping keeps the ledger whole
    clean = _dos(root, "reap", "--json", DOS_TEST_CLOCK_MS=later)
    assert (clean.returncode, _json(clean)["verdict"]) == (0, "CLEAN")
