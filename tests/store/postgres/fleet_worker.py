"""One simulated host of a fleet: acquire / heartbeat / release cycles on overlapping
lanes through the real admission path, checking the invariant after every step.

    python fleet_worker.py <workspace> <cycles> <seed>

Its host identity is ``DISPATCH_HOST_ID``. It prints one JSON line: its counts and
every violation seen (two live, conflicting leases on overlapping trees).
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import psycopg

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.admission.tree import globs_overlap
from dos.config import load_workspace_config

LANES = ("src", "core", "api", "docs", "tests")

# The invariant, asked of the server directly: the live leases by its clock.
LIVE = """SELECT lease_id, tree, mode FROM dos_leases
          WHERE workspace = %s AND released_at_ms IS NULL
          AND renewed_at_ms + ttl_ms > (extract(epoch FROM clock_timestamp()) * 1000)::bigint"""


def violations(conn: psycopg.Connection[Any], workspace: str) -> list[str]:
    live = conn.execute(LIVE, (workspace,)).fetchall()
    found = []
    for index, (first_id, first_tree, first_mode) in enumerate(live):
        for second_id, second_tree, second_mode in live[index + 1:]:
            both_shared = first_mode == second_mode == "shared"
            if not both_shared and globs_overlap(first_tree, second_tree):
                found.append(f"#{first_id} {first_tree} and #{second_id} {second_tree}")
    return found


def main(root: str, cycles: int, seed: int) -> dict[str, Any]:
    config = load_workspace_config(Path(root))
    owner = f"agent@{os.environ['DISPATCH_HOST_ID']}"
    rng = random.Random(seed)
    counts = {"acquired": 0, "refused": 0, "renewed": 0, "released": 0, "checks": 0}
    seen: list[str] = []
    with psycopg.connect(config.store.url, autocommit=True) as eye:
        def check() -> None:
            counts["checks"] += 1
            seen.extend(violations(eye, config.store.workspace_id))

        for _cycle in range(cycles):
            lane = rng.choice(LANES)
            got = lane_lease.acquire(config, LeaseRequest(lane=lane), owner=owner, ttl_s=60)
            counts["acquired" if got.acquired else "refused"] += 1
            check()
            if got.lease is None:
                continue
            lease_id = got.lease.lease_id
            beat = lane_lease.heartbeat(config, owner=owner, lease_id=lease_id)
            counts["renewed"] += int(beat.beat)
            check()
            counts["released"] += int(lane_lease.release(
                config, owner=owner, lease_id=lease_id).released)
            check()
    return {**counts, "violations": seen}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
