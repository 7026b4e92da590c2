"""The benchmark's writer: ``python _writer.py ROOT RATE SECONDS`` takes RATE lease
acquires a second (each by a new owner, through the CLI's own entry point, in this one
process) and prints, as JSON, each write's ops head and the wall-clock time it returned."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

from dos import cli
from dos.web.watch import store_heads
from dos.workspace import load_config


def main(root: str, rate: float, seconds: float) -> int:
    config = load_config(root, None)
    writes: list[tuple[int, float]] = []
    start, count = time.monotonic(), int(rate * seconds)
    for index in range(count):
        time.sleep(max(0.0, start + index / rate - time.monotonic()))  # keep to the rate
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["--workspace", root, "lease-lane", "acquire", "--lane",
                             ("api", "ui")[index % 2], "--owner", f"bench-w{index}", "--json"])
        done = time.time()  # committed: the acquire has returned
        if code not in (0, 1):
            print(f"acquire {index} exited {code}", file=sys.stderr)
            return 1
        writes.append((store_heads(config)[0], done))
    json.dump(writes, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3])))
