"""How fast `dos serve` tells its followers that the store changed, with many of them:
one server process (uvicorn) on a SQLite store (--postgres URL: a private schema on that
server), --clients (default 200) open ``/events`` streams in one client process, and a
writer process taking --rate (default 20) lease acquires a second for --seconds (default
20). For each write, the delay is from the moment its acquire returned (committed) to the
moment each follower read the first ``change`` event whose ops head covers it. Printed:
median and p95 delay (target: median <= 1 s), against a baseline run with one follower
in the same server, and the server's RSS at start and at its peak.

The server caps its followers at dos.web.watch.MAX_SUBSCRIBERS (a 503 beyond); the bench
lifts that cap to --clients unless --keep-cap, and says how many streams were refused.

    python bench/serve.py [--clients N] [--rate R] [--seconds S] [--postgres URL] [--keep-cap]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

from _sse import Follower, open_followers
from _timing import bench_env, dos_command
from _workspaces import pg_schema, small_repo

TARGET_MEDIAN_S = 1.0
BASELINE_S = 6.0
GRACE_S = 2.0  # followers keep reading after the writer stops: the last writes arrive
_LAUNCH = ("import sys; from dos.web import watch; "
           "watch.MAX_SUBSCRIBERS = int(sys.argv[1]) or watch.MAX_SUBSCRIBERS; "
           "from dos.cli import main; sys.exit(main(sys.argv[2:]))")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Server:
    """The `dos serve` process, and the peak of its RSS while the bench samples it."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process, self.port = process, port
        self.start_kib = self.peak_kib = _rss_kib(process.pid)

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.peak_kib = max(self.peak_kib, _rss_kib(self.process.pid))
            await asyncio.sleep(0.2)


async def start_server(root: Path, cap: int) -> Server:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _LAUNCH, str(cap), "--workspace", str(root), "serve",
        "--port", "0", "--json", stdout=asyncio.subprocess.PIPE, env=bench_env())
    assert process.stdout is not None
    started = json.loads(await process.stdout.readline())
    await asyncio.sleep(1.0)  # imports done, uvicorn listening: the start RSS is idle RSS
    return Server(process, int(started["port"]))


async def run_writer(root: Path, rate: float, seconds: float) -> list[tuple[int, float]]:
    writer = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).with_name("_writer.py")), str(root), str(rate),
        str(seconds), stdout=asyncio.subprocess.PIPE, env=bench_env())
    out, _err = await writer.communicate()
    assert writer.returncode == 0, "the writer failed"
    return [(int(ops), float(at)) for ops, at in json.loads(out)]


def delays(writes: list[tuple[int, float]], followers: list[Follower]) -> tuple[list[float], int]:
    """Each (write, follower) delay, and how many writes some follower never heard of."""
    found, missed = [], 0
    for follower in followers:
        if follower.status != 200:
            continue
        for ops, at in writes:
            heard = next((when for head, when in follower.changes if head >= ops), None)
            if heard is None:
                missed += 1
            else:
                found.append(max(0.0, heard - at))
    return found, missed


async def phase(server: Server, root: Path, clients: int, rate: float,
                seconds: float) -> dict[str, object]:
    stop = asyncio.Event()
    followers, tasks = await open_followers(clients, "127.0.0.1", server.port, stop)
    await asyncio.sleep(1.0)  # every stream has its hello before the first write
    every = await run_writer(root, rate, seconds)
    # only a write that moved the ops head is a change a follower can hear of
    writes = [w for i, w in enumerate(every) if i == 0 or w[0] > every[i - 1][0]]
    await asyncio.sleep(GRACE_S)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    found, missed = delays(writes, followers)
    found.sort()
    return {"clients": clients, "open": sum(f.status == 200 for f in followers),
            "refused": sum(f.status == 503 for f in followers), "writes": len(writes),
            "median_s": statistics.median(found) if found else float("nan"),
            "p95_s": found[int(0.95 * (len(found) - 1))] if found else float("nan"),
            "missed": missed}


def _show(label: str, result: dict[str, object]) -> None:
    print(f"{label:>9}: {result['open']}/{result['clients']} streams open "
          f"({result['refused']} refused), {result['writes']} writes, delay median "
          f"{result['median_s']:.3f} s, p95 {result['p95_s']:.3f} s, "
          f"unheard {result['missed']}")


async def bench(root: Path, args: argparse.Namespace) -> bool:
    server = await start_server(root, 0 if args.keep_cap else args.clients)
    stop = asyncio.Event()
    sampler = asyncio.create_task(server.sample(stop))
    try:
        base = await phase(server, root, 1, args.rate, BASELINE_S)
        _show("baseline", base)
        load = await phase(server, root, args.clients, args.rate, args.seconds)
        _show("load", load)
    finally:
        stop.set()
        await sampler
        server.process.terminate()
        await server.process.wait()
    # the write's time is taken when the CLI call returns, after its commit: a NOTIFY can
    # beat it, so a delay reads 0 and a millisecond is the method's resolution
    ratio = float(load["median_s"]) / max(float(base["median_s"]), 1e-3)  # type: ignore[arg-type]
    print(f"server RSS: {server.start_kib / 1024:.1f} MiB at start, "
          f"{server.peak_kib / 1024:.1f} MiB at peak")
    ok = float(load["median_s"]) <= TARGET_MEDIAN_S  # type: ignore[arg-type]
    print(f"median delay {ratio:.2f}x the baseline's; target median <= {TARGET_MEDIAN_S} s: "
          f"{'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="acquires a second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--postgres", default="", metavar="URL")
    parser.add_argument("--keep-cap", action="store_true",
                        help="run with the server's own cap on followers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, pg_schema(args.postgres) as url:
        root = small_repo(Path(tmp) / "ws", dos_command(), url)
        print(f"store: {'PostgreSQL' if url else 'SQLite'}; {args.clients} followers, "
              f"{args.rate:g} acquires/s for {args.seconds:g} s (baseline: 1 follower, "
              f"{BASELINE_S:g} s)")
        return 0 if asyncio.run(bench(root, args)) else 1


if __name__ == "__main__":
    sys.exit(main())
