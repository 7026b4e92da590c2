"""Four hosts, one shared PostgreSQL store: admission stays exclusive across machines."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from tests._support.postgres import PgWorkspace, child_env

from dos.record.journal_admin import tail, verify

HOSTS = 4
CYCLES = 200
WORKER = Path(__file__).with_name("fleet_worker.py")

# 800 admission cycles serialised on one workspace lock: ~20 s on two cores.
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_four_hosts_never_hold_overlapping_trees_and_the_chain_holds(
        pg_workspace: PgWorkspace) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(pg_workspace.path), str(CYCLES), str(seed)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=child_env(DISPATCH_HOST_ID=f"host-{seed}"))
        for seed in range(HOSTS)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        results.append(json.loads(out))

    for result in results:
        assert result["violations"] == []
        assert result["acquired"] + result["refused"] == CYCLES
        assert result["released"] == result["renewed"] == result["acquired"]
        assert result["checks"] == CYCLES + 2 * result["acquired"]
    # The hosts really did contend: some grants, and some refusals for overlap.
    assert sum(r["acquired"] for r in results) > 0
    assert sum(r["refused"] for r in results) > 0

    config = pg_workspace.config()
    report = verify(config)
    assert report.ok, report.to_dict()
    records = tail(config, 0)
    ops = Counter(record.op for record in records)
    assert ops["ACQUIRE"] == ops["RELEASE"] == sum(r["acquired"] for r in results)
    assert ops["REFUSE"] == sum(r["refused"] for r in results)
    hosts = {record.payload.get("host_id") for record in records if record.op == "ACQUIRE"}
    assert hosts == {f"host-{seed}" for seed in range(HOSTS)}
    tokens = [record.lease_id for record in records if record.op == "ACQUIRE"]
    assert tokens == sorted(tokens)
    assert len(set(tokens)) == len(tokens)
