"""The verdict journal's costs: what journaling adds to a hook call, and what
`dos observe` takes over a long journal.

1. `dos hook pretool` (one process per tool call, as a host runs it) in two identical
   workspaces but for `[observe] enabled`: median wall time of an allowed and a denied
   write with the journal on and off, and their ratio (target <= 1.10x).
2. `dos observe` over a journal of --records verdicts (default 1,000,000) on the embedded
   store: wall time of the first run (no checkpoint), of a later run, of `--by run_id`
   and of `--run RID --tail 20` (target <= 2 s each), and the process's peak memory
   against the same over a journal a tenth as long (it must not grow with the journal).

    python bench/observe.py [--runs N] [--records N] [--only hook|observe] [--postgres URL]

With --postgres the hook comparison also runs on that server (one new workspace id per
run, left in the database).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import Case, bench_env, dos_command, medians, report_ratio

HOOK_TARGET = 1.10
OBSERVE_TARGET_S = 2.0
_DOS_TOML = """\
[lanes]
concurrent = ["api", "ui"]
exclusive = ["global"]
autopick = ["api", "ui"]

[lanes.trees]
api = ["src/api/**"]
ui = ["src/ui/**"]
global = ["**/*"]
"""


def _payload(root: Path, path: str) -> bytes:
    import json

    return json.dumps({
        "session_id": "session-B", "transcript_path": "", "cwd": str(root),
        "hook_event_name": "PreToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": str(root / path), "old_string": "a", "new_string": "b"},
    }).encode()


def _workspace(root: Path, dos: list[str], *, journal: bool, url: str) -> None:
    import uuid

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    extra = "" if journal else "\n[observe]\nenabled = false\n"
    if url:
        extra += f'\n[store]\nurl = "{url}"\nworkspace_id = "bench-{uuid.uuid4().hex}"\n'
    (root / "dos.toml").write_text(_DOS_TOML + extra, encoding="utf-8")
    subprocess.run([*dos, "lease-lane", "acquire", "--lane", "api", "--owner", "session-A",
                    "--ttl-seconds", "36000"], cwd=root, check=True, stdout=subprocess.DEVNULL)


def _journaled(root: Path) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from dos.config import load_workspace_config
    from dos.store import reading

    with reading(load_workspace_config(root)) as tx:
        return 0 if tx is None else tx.verdict_span()[0]


def bench_hook(dos: list[str], runs: int, url: str = "") -> bool:
    print(f"hook pretool on {'PostgreSQL' if url else 'the embedded SQLite store'}:")
    with tempfile.TemporaryDirectory() as on_dir, tempfile.TemporaryDirectory() as off_dir:
        on, off = Path(on_dir).resolve(), Path(off_dir).resolve()
        _workspace(on, dos, journal=True, url=url)
        _workspace(off, dos, journal=False, url=url)
        hook = [*dos, "hook", "pretool"]
        timed = medians({
            "baseline": Case([sys.executable, "-c", "pass"], cwd=on_dir),
            "allow_on": Case(hook, cwd=on_dir, stdin=_payload(on, "src/ui/a.py")),
            "allow_off": Case(hook, cwd=off_dir, stdin=_payload(off, "src/ui/a.py")),
            "deny_on": Case(hook, cwd=on_dir, stdin=_payload(on, "src/api/a.py")),
            "deny_off": Case(hook, cwd=off_dir, stdin=_payload(off, "src/api/a.py")),
        }, runs)
        recorded, unrecorded = _journaled(on), _journaled(off)
    if recorded < 2 * runs or unrecorded:
        raise SystemExit(f"the journal did not record as configured: on {recorded}, "
                         f"off {unrecorded}")
    print(f"baseline: python -c pass {timed['baseline'] * 1000:.1f} ms "
          f"(median of {runs}, commands interleaved)")
    ok = True
    for kind in ("allow", "deny"):
        on_s, off_s = timed[f"{kind}_on"], timed[f"{kind}_off"]
        print(f"  hook pretool ({kind}) journal off {off_s * 1000:7.1f} ms, "
              f"on {on_s * 1000:7.1f} ms (+{(on_s - off_s) * 1000:.1f} ms)")
        ok &= report_ratio(f"  hook pretool ({kind}): journal on / off", on_s, off_s,
                           HOOK_TARGET)
    return ok


def _fill(root: Path, records: int) -> str:
    """A workspace whose store holds ``records`` verdicts; a run id that has some."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from dos.store import open_store
    from dos.store.chain import GENESIS_HASH
    from dos.store.verdicts import VerdictEntry, seal_verdict

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "dos.toml").write_text(_DOS_TOML, encoding="utf-8")
    store = open_store(f"sqlite:///{root / '.dos' / 'dos.db'}")
    kinds = [("pretool", "ALLOW", "hook"), ("pretool", "DENY", "hook"),
             ("verify", "SHIPPED", "cli"), ("lease-lane", "ACQUIRE", "mcp"),
             ("liveness", "ADVANCING", "cli"), ("stop", "BLOCK", "hook")]
    prev, seq, start = GENESIS_HASH, 0, 1_700_000_000_000
    while seq < records:
        batch = []
        for _ in range(min(50_000, records - seq)):
            seq += 1
            syscall, verdict, source = kinds[seq % len(kinds)]
            entry = VerdictEntry(
                syscall=syscall, verdict=verdict, source=source, subject=f"src/f{seq % 97}.py",
                run_id=f"RID-{seq % 1000:016d}", lane=("api", "ui")[seq % 2],
                detail={"session": f"s{seq % 50}", "tool": "Edit", "target": "src/a.py"})
            record = seal_verdict(entry, seq=seq, ts_ms=start + seq, prev_hash=prev)
            prev = record.hash
            batch.append(record)
        with store.transaction(write=True) as tx:
            tx.load_verdicts(batch)
    store.close()
    return "RID-0000000000000007"


def _observe(dos: list[str], root: Path, *args: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and the chain line of one `dos observe`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen([*dos, "observe", *args], cwd=root, env=bench_env(),
                                 stdout=out, stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"dos observe {' '.join(args)} exited {child.returncode}: {problem}")
    chain = next((line.strip() for line in text.splitlines() if "chain" in line), "")
    return elapsed, usage.ru_maxrss, chain


def bench_observe(dos: list[str], records: int) -> bool:
    ok = True
    peaks: dict[int, int] = {}
    for count in (records // 10, records):
        with tempfile.TemporaryDirectory() as temp:
            root = Path(temp).resolve()
            built = time.perf_counter()
            run = _fill(root, count)
            print(f"journal of {count:,} verdicts built in {time.perf_counter() - built:.1f} s")
            for label, args in (("first run (no checkpoint)", ()), ("next run", ()),
                                ("--by run_id", ("--by", "run_id")),
                                ("--run RID --tail 20", ("--run", run, "--tail", "20"))):
                seconds, peak, chain = _observe(dos, root, *args)
                peaks[count] = max(peaks.get(count, 0), peak)
                verdict = "OK" if seconds <= OBSERVE_TARGET_S else "OVER TARGET"
                print(f"  dos observe {label:<26} {seconds:6.2f} s  peak {peak / 1024:6.1f} MiB"
                      f"  (target <= {OBSERVE_TARGET_S} s) {verdict}")
                ok &= count != records or seconds <= OBSERVE_TARGET_S
            print(f"    {chain}")
    small, large = peaks[records // 10], peaks[records]
    print(f"peak memory: {small / 1024:.1f} MiB at {records // 10:,} verdicts, "
          f"{large / 1024:.1f} MiB at {records:,} ({large / small:.2f}x for 10x the records)")
    return ok and large <= small * 1.25


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="hook runs per case (>= 30)")
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="verdicts in the long journal (>= 1000)")
    parser.add_argument("--only", choices=("hook", "observe"), default=None,
                        help="run one of the two benchmarks")
    parser.add_argument("--postgres", default="", metavar="URL",
                        help="also compare the hook on this PostgreSQL server")
    options = parser.parse_args()
    dos = dos_command()
    ok = True
    if options.only != "observe":
        ok &= bench_hook(dos, max(30, options.runs))
        if options.postgres:
            ok &= bench_hook(dos, max(30, options.runs), options.postgres)
    if options.only != "hook":
        ok &= bench_observe(dos, max(1000, options.records))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
