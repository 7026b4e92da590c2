"""dos lease {acquire OWNER, release OWNER, status}: a named cross-process mutex in the store."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dos.render import dumps
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos lease acquire nightly && ./archive.sh; dos lease release nightly
  dos lease status
  dos lease acquire ci --name deploy --ttl-seconds 600

A lock older than its holder's TTL is stale and may be stolen; taking, re-entering
and stealing each happen in one store transaction. exit: 0 done, 1 busy or not
yours, 2 usage, 74 store unreadable, 75 store busy."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True,
                                    metavar="{acquire,release,status}")
    acquire = actions.add_parser("acquire", help="take the mutex (waits, then gives up)")
    acquire.add_argument("owner", help="who takes it (the same owner re-enters)")
    acquire.add_argument("--retries", type=int, default=5, help="attempts after the first")
    acquire.add_argument("--retry-interval", type=float, default=2.0,
                         help="seconds between attempts")
    acquire.add_argument("--ttl-seconds", type=float, default=300.0,
                         help="after this long the lock is stale and may be stolen")
    release = actions.add_parser("release", help="release the mutex if you hold it")
    release.add_argument("owner", help="who releases it")
    release.add_argument("--force", action="store_true", help="release whoever holds it")
    status = actions.add_parser("status", help="free, held or stale (reads only)")
    status.add_argument("--ttl-seconds", type=float, default=None,
                        help="judge staleness by this TTL instead of the holder's")
    for sub in (acquire, release, status):
        sub.add_argument("--name", default="archive", help="which mutex (default: archive)")


def _wait_line(result: Any, attempt: int, retries: int) -> None:
    held = result.held.owner if result.held else "?"
    print(f"  waiting on {held} (age={result.age_s}s); retry {attempt}/{retries}",
          file=sys.stderr)


def _acquire(config: Any, *, owner: str, name: str, ttl: float, retries: int,
             interval: float, output: str) -> int:
    from dos.admission import mutex
    from dos.admission.holder import iso_utc

    result = mutex.acquire(config, owner, name=name, ttl_s=ttl, retries=retries,
                           retry_interval_s=interval,
                           on_wait=lambda res, i: _wait_line(res, i, retries))
    prev = result.held.owner if result.held else ""
    lines = {"acquired": f"acquired {result.owner}",
             "re-entrant": f"re-entrant {result.owner} prev-acquired-at="
                           f"{iso_utc(result.held.acquired_ms) if result.held else '?'}",
             "stole-stale": f"stole-stale {prev} age={result.age_s}s"}
    if output == "json":
        print(dumps(result.to_dict()))
    elif result.ok:
        print(lines[result.action])
    else:
        print(f"busy {prev} age={result.age_s}s", file=sys.stderr)
    return 0 if result.ok else 1


def _release(config: Any, owner: str, name: str, force: bool, output: str) -> int:
    from dos.admission import mutex

    result = mutex.release(config, owner, name=name, force=force)
    prev = result.held.owner if result.held else ""
    if output == "json":
        print(dumps(result.to_dict()))
    elif result.action == "mismatch":
        print(f"WARN: lock owner mismatch (have={prev}, expected={owner}); leaving alone",
              file=sys.stderr)
    else:
        print({"no-lock": "released (no-lock)", "released": f"released {owner}",
               "force-released": f"force-released (was: {prev})"}[result.action])
    return 0 if result.ok else 1


def _status(config: Any, name: str, ttl: float | None, output: str) -> int:
    from dos.admission import mutex

    state, held, age = mutex.status(config, name=name, ttl_s=ttl)
    if output == "json":
        print(dumps({"state": state, "name": name, "owner": held.owner if held else None,
                     "age_s": age, "token": held.token if held else None}))
    else:
        print("free" if held is None else f"{state} {held.owner} age={age}s")
    return 0


def run(*, action: str, output: str, workspace: str | None, driver: str | None,
        owner: str = "", name: str = "archive", retries: int = 5,
        retry_interval: float = 2.0, ttl_seconds: float | None = None, force: bool = False,
        **_: object) -> int:
    config = load_config(workspace, driver)
    if action == "acquire":
        return _acquire(config, owner=owner, name=name,
                        ttl=300.0 if ttl_seconds is None else ttl_seconds, retries=retries,
                        interval=retry_interval, output=output)
    if action == "release":
        return _release(config, owner, name, force, output)
    return _status(config, name, ttl_seconds, output)
