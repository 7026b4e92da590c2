"""What one `dos top` frame costs over a long history: `dos top --once --json` (one process,
as an operator or a status script runs it) with 50 live leases in two workspaces that
differ only in the length of their journals — --records (default 1,000,000) records, half
in the verdict journal and half in the ops journal, against 100. Target: the long one
takes at most 2x the short one's median wall time.

The records span the last --span-days (default 30) up to now, so the liveness window (the
last 30 minutes) holds its share of them; --span-days 0 puts every record in that window
(the worst case for the reads by time). --plans prints SQLite's plan for every query one
frame makes on the long store. --postgres URL runs the same comparison with both stores on
that server (two new workspace ids, erased afterwards).

    python bench/top.py [--runs N] [--records N] [--span-days D] [--plans] [--postgres URL]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _journal import load_sealed, seal_ops
from _timing import Case, dos_command, medians, report_ratio
from _workspaces import erase_workspaces

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET = 2.0
LANES = 50
SMALL = 100
_OPS = ("HEARTBEAT", "ACQUIRE", "HEARTBEAT", "RELEASE", "ENFORCE", "HEARTBEAT", "ATTEMPT",
        "SPAWN")
_VERDICTS = (("pretool", "ALLOW", "hook"), ("pretool", "DENY", "hook"),
             ("verify", "SHIPPED", "cli"), ("lease-lane", "ACQUIRE", "mcp"),
             ("liveness", "ADVANCING", "cli"), ("stop", "BLOCK", "hook"))


def _lane(index: int) -> str:
    return f"lane{index % LANES:02d}"


def _repo(root: Path, url: str) -> str:
    """A repository declaring LANES lanes, with commits spread over them; its HEAD."""
    import json
    import uuid

    names = [_lane(i) for i in range(LANES)]
    trees = "\n".join(f'{name} = ["src/{name}/**"]' for name in names)
    store = f"[store]\nurl = {json.dumps(url)}\nworkspace_id = \"bench-top-{uuid.uuid4().hex}\"\n" \
        if url else ""
    (root / "dos.toml").write_text(
        f"[lanes]\nconcurrent = {json.dumps(names)}\nexclusive = [\"global\"]\n"
        f"[lanes.trees]\n{trees}\nglobal = [\"**\"]\n{store}", encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    for index in range(60):
        path = root / "src" / _lane(index) / f"f{index}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"x = {index}\n", encoding="utf-8")
        subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
        subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", f"step {index}"],
                       check=True)
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def _verdicts(count: int, start: int, step: float) -> list[object]:
    from dos.store.chain import GENESIS_HASH
    from dos.store.verdicts import VerdictEntry, seal_verdict

    sealed, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        syscall, verdict, source = _VERDICTS[seq % len(_VERDICTS)]
        entry = VerdictEntry(syscall=syscall, verdict=verdict, source=source,
                             subject=f"src/f{seq % 97}.py", run_id=f"RID-{seq % 1000:016d}",
                             lane=_lane(seq), detail={"session": f"s{seq % 50}"})
        record = seal_verdict(entry, seq=seq, ts_ms=start + int(seq * step), prev_hash=prev)
        prev = record.hash
        sealed.append(record)
    return sealed


def _ops(count: int, start: int, step: float) -> list[object]:
    from dos.store.journal import JournalEntry

    entries = (JournalEntry(_OPS[seq % len(_OPS)], lane=_lane(seq), holder=f"agent-{seq % 50}",
                            lease_id=seq % LANES + 1, payload={"n": seq})
               for seq in range(1, count + 1))
    return seal_ops(entries, lambda seq: start + int(seq * step))


def _fill(root: Path, records: int, span_ms: int, url: str) -> None:
    """``records`` journal records (half verdicts, half ops) and LANES live leases."""
    from dos.admission.lease import Lease
    from dos.config import load_workspace_config
    from dos.store import store_for

    head = _repo(root, url)
    now = int(time.time() * 1000)
    start = now - max(span_ms, 60_000)
    half = records // 2
    store = store_for(load_workspace_config(root))
    for maker, count, load in ((_verdicts, half, "load_verdicts"),
                               (_ops, records - half, "load_records")):
        load_sealed(store, load, maker(count, start, (now - start) / max(1, count)))
    with store.transaction(write=True) as tx:
        for index in range(LANES):
            lane = _lane(index)
            tx.load_lease(Lease(lease_id=index + 1, lane=lane, tree=(f"src/{lane}/**",),
                                holder=f"agent-{index}", acquired_at_ms=now - 1_200_000,
                                renewed_at_ms=now - 10_000, ttl_ms=86_400_000,
                                start_sha=head))
    store.close()


def _plans(root: Path) -> None:
    """SQLite's plan for each query one frame makes (read by tracing the frame itself)."""
    import _sqlite3  # the store opens its connections through the driver module itself
    import sqlite3

    from dos.api.top import frame
    from dos.config import load_workspace_config

    seen: list[str] = []
    real = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(seen.append)
        return conn
    _sqlite3.connect = traced
    try:
        frame(load_workspace_config(root))
    finally:
        _sqlite3.connect = real
    conn = real(root / ".dos" / "dos.db")
    for sql in dict.fromkeys(s for s in seen if s.lstrip().upper().startswith("SELECT")):
        plan = "; ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        print(f"  {' '.join(sql.split())[:110]}\n      -> {plan}")
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per store (>= 5)")
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="journal records in the long store (>= 1000)")
    parser.add_argument("--span-days", type=float, default=30.0,
                        help="the records span this many days up to now (0: all recent)")
    parser.add_argument("--plans", action="store_true",
                        help="print the long store's plans (SQLite only)")
    parser.add_argument("--postgres", default="", metavar="URL",
                        help="put both stores on this PostgreSQL server")
    options = parser.parse_args()
    dos = dos_command()
    span_ms = int(options.span_days * 86_400_000)
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        small, big = Path(small_dir).resolve(), Path(big_dir).resolve()
        for root, count in ((small, SMALL), (big, max(1000, options.records))):
            began = time.perf_counter()
            _fill(root, count, span_ms, options.postgres)
            print(f"{count:>9,} records, {LANES} live leases: seeded in "
                  f"{time.perf_counter() - began:.1f} s")
        if options.plans and not options.postgres:
            _plans(big)
        command = [*dos, "top", "--once", "--json"]
        try:
            timed = medians({"small": Case(command, cwd=str(small)),
                             "big": Case(command, cwd=str(big))}, max(5, options.runs))
        finally:
            if options.postgres:
                erase_workspaces(small, big)
    where = "PostgreSQL" if options.postgres else "the embedded SQLite store"
    print(f"dos top --once --json on {where}, median of {max(5, options.runs)} "
          "(runs interleaved):")
    report_ratio(f"  {SMALL} records", timed["small"], timed["small"], None)
    return 0 if report_ratio(f"  {max(1000, options.records):,} records", timed["big"],
                             timed["small"], TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
