"""What `dos status RUN --json` costs over a long history: one run whose own trail is a
small fixed number of records (its lease's grant, heartbeats, shipped claims — one of
them weeks old, so only the run's whole trail finds it — and a recent attempt) in two
workspaces whose ops journals differ only in how many records of other runs they hold:
--records (default 1,000,000) against 100. Target: the long one takes at most 2x the
short one's median wall time.

The other records span the last 30 days, carry the ids of 1,000 other runs (half of them
none) and 50 other leases; the run's records are spread over the whole journal, its last
few at its end. --postgres URL runs the same comparison with both stores on that server
(two new workspace ids, erased afterwards).

    python bench/status.py [--runs N] [--records N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from _journal import load_sealed, seal_ops
from _timing import Case, bench_env, dos_command, medians, report_ratio
from _workspaces import DOS_TOML, erase_workspaces

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET = 2.0
SMALL = 100
SPAN_MS = 30 * 86_400_000
OTHER_RUNS = 1000
OTHER_LEASES = 50
RUN_LEASE = 10_000  # above every other lease id
_OPS = ("HEARTBEAT", "ACQUIRE", "HEARTBEAT", "RELEASE", "ENFORCE", "HEARTBEAT", "ATTEMPT",
        "SPAWN")
_IDENTITY = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid")
# The run's own trail: (op, carries the run id, is a shipped claim). Its last TAIL records
# are the journal's last ones (inside the liveness window); the others are spread out.
_TRAIL = (("SPAWN", True, False), ("ACQUIRE", True, False),
          *((("HEARTBEAT", False, False),) * 6), ("ATTEMPT", True, True),
          *((("HEARTBEAT", False, False),) * 6), ("ATTEMPT", True, True),
          ("HEARTBEAT", False, False), ("ATTEMPT", True, False), ("HEARTBEAT", False, False))
TAIL = 3


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *_IDENTITY, "-C", str(root), *args], check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def _repo(root: Path, url: str) -> tuple[str, str]:
    """A repository with dos.toml (its store on ``url`` when given) and two commits: the
    run's start and the one its claims name. (start sha, claimed sha)."""
    store = (f"\n[store]\nurl = {json.dumps(url)}\n"
             f"workspace_id = \"bench-status-{uuid.uuid4().hex}\"\n" if url else "")
    (root / "dos.toml").write_text(DOS_TOML + store, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "dos.toml")
    _git(root, "commit", "-q", "-m", "start")
    start = _git(root, "rev-parse", "HEAD")
    (root / "src" / "api").mkdir(parents=True)
    (root / "src" / "api" / "auth.py").write_text("x = 1\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "AUTH1: ship it")
    return start, _git(root, "rev-parse", "HEAD")


def _places(count: int) -> dict[int, int]:
    """seq → index in _TRAIL: the trail spread over the journal, its tail at the end."""
    spread = len(_TRAIL) - TAIL
    places = {1 + (index * (count - TAIL - 1)) // spread: index for index in range(spread)}
    places.update({count - TAIL + 1 + index: spread + index for index in range(TAIL)})
    return places


def _entries(count: int, run_id: str, claimed: str) -> list[object]:
    from dos.run_id import mint
    from dos.store.journal import JournalEntry

    others = [mint("other", clock_ms=1_700_000_000_000 + index).run_id
              for index in range(OTHER_RUNS)]
    places, entries = _places(count), []
    for seq in range(1, count + 1):
        if seq in places:
            index = places[seq]
            op, named, claim = _TRAIL[index]
            payload = {"unit_id": f"AUTH{index}", "outcome": "shipped", "sha": claimed} \
                if claim else {"unit_id": "AUTH0", "outcome": "failed"} if op == "ATTEMPT" \
                else {}
            entries.append(JournalEntry(op, lane="api", holder="bench-run",
                                        run_id=run_id if named else "", lease_id=RUN_LEASE,
                                        payload=payload))
            continue
        entries.append(JournalEntry(
            _OPS[seq % len(_OPS)], lane=("api", "ui")[seq % 2], holder=f"agent-{seq % 50}",
            run_id=others[seq % OTHER_RUNS] if seq % 2 else "",
            lease_id=seq % OTHER_LEASES + 1 if seq % 3 else None, payload={"n": seq}))
    return entries


def _fill(root: Path, count: int, url: str, run_id: str, now: int) -> None:
    """``count`` ops records (the run's own among them) and the run's live lease."""
    from dos.admission.lease import Lease
    from dos.config import load_workspace_config
    from dos.store import store_for

    start_sha, claimed = _repo(root, url)
    first = now - SPAN_MS
    step = (SPAN_MS - 60_000) / count

    def stamp(seq: int) -> int:  # the journal's last TAIL records inside the last minute
        return now - (count - seq + 1) * 1000 if seq > count - TAIL else first + int(seq * step)
    store = store_for(load_workspace_config(root))
    load_sealed(store, "load_records", seal_ops(_entries(count, run_id, claimed), stamp))
    with store.transaction(write=True) as tx:
        tx.load_lease(Lease(lease_id=RUN_LEASE, lane="api", tree=("src/api/**",),
                            holder="bench-run", run_id=run_id, acquired_at_ms=stamp(2),
                            renewed_at_ms=now - 5000, ttl_ms=86_400_000, start_sha=start_sha))
    store.close()


def _answer(command: list[str], root: Path) -> tuple[object, ...]:
    """What the digest says of the run (verdict, verified and unverified steps): the
    same in both workspaces, or the comparison would time different work."""
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False,
                          env=bench_env())
    if done.returncode != 0:
        raise SystemExit(f"dos status exited {done.returncode} in {root}: {done.stderr}")
    digest = json.loads(done.stdout)
    return digest["verdict"], *(sorted(step["step_id"] for step in digest["progress"][kind])
                                for kind in ("verified_steps", "unverified_steps"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per store (>= 5)")
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="ops journal records in the long store (>= 1000)")
    parser.add_argument("--postgres", default="", metavar="URL",
                        help="put both stores on this PostgreSQL server")
    options = parser.parse_args()
    from dos.run_id import mint

    dos, now = dos_command(), int(time.time() * 1000)
    run_id = mint("bench", clock_ms=now - SPAN_MS).run_id
    count = max(1000, options.records)
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        small, big = Path(small_dir).resolve(), Path(big_dir).resolve()
        for root, records in ((small, SMALL), (big, count)):
            began = time.perf_counter()
            _fill(root, records, options.postgres, run_id, now)
            print(f"{records:>9,} records, {len(_TRAIL)} of them the run's: seeded in "
                  f"{time.perf_counter() - began:.1f} s")
        command = [*dos, "status", run_id, "--json"]
        try:
            answers = _answer(command, small), _answer(command, big)
            print(f"the run's digest in both: {answers[0]}")
            if answers[0] != answers[1]:
                raise SystemExit(f"the two workspaces' digests differ: {answers}")
            timed = medians({"small": Case(command, cwd=str(small)),
                             "big": Case(command, cwd=str(big))}, max(5, options.runs))
        finally:
            if options.postgres:
                erase_workspaces(small, big)
    where = "PostgreSQL" if options.postgres else "the embedded SQLite store"
    print(f"dos status RUN --json on {where}, median of {max(5, options.runs)} "
          "(runs interleaved):")
    report_ratio(f"  {SMALL} records", timed["small"], timed["small"], None)
    return 0 if report_ratio(f"  {count:,} records", timed["big"], timed["small"],
                             TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
