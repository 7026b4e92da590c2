"""dos lease {acquire OWNER, release OWNER, status}: a named cross-process mutex in the store."""

from __future__ import annotations

import argparse
import sys

from dos.admission.mutex import MutexResult
from dos.api.locks import MutexStatus
from dos.commands._args import count, seconds
from dos.limits import MAX_LEASE_TTL_S
from dos.render import emit
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
    acquire.add_argument("--retries", type=count(), default=5, help="attempts after the first")
    acquire.add_argument("--retry-interval", type=seconds(), default=2.0,
                         help="seconds between attempts")
    acquire.add_argument("--ttl-seconds", default=300.0,
                         type=seconds(high=MAX_LEASE_TTL_S, low_open=True),
                         help="after this long the lock is stale and may be stolen")
    release = actions.add_parser("release", help="release the mutex if you hold it")
    release.add_argument("owner", help="who releases it")
    release.add_argument("--force", action="store_true", help="release whoever holds it")
    status = actions.add_parser("status", help="free, held or stale (reads only)")
    status.add_argument("--ttl-seconds", default=None,
                        type=seconds(high=MAX_LEASE_TTL_S, low_open=True),
                        help="judge staleness by this TTL instead of the holder's")
    for sub in (acquire, release, status):
        sub.add_argument("--name", default="archive", help="which mutex (default: archive)")


def _wait_line(result: MutexResult, attempt: int, retries: int) -> None:
    held = result.held.owner if result.held else "?"
    print(f"  waiting on {held} (age={result.age_s}s); retry {attempt}/{retries}",
          file=sys.stderr)


def _result_text(result: MutexResult) -> str:
    from dos.admission.holder import iso_utc

    prev = result.held.owner if result.held else ""
    return {
        "acquired": f"acquired {result.owner}",
        "re-entrant": f"re-entrant {result.owner} prev-acquired-at="
                      f"{iso_utc(result.held.acquired_ms) if result.held else '?'}",
        "stole-stale": f"stole-stale {prev} age={result.age_s}s",
        "busy": f"busy {prev} age={result.age_s}s",
        "no-lock": "released (no-lock)",
        "released": f"released {result.owner}",
        "force-released": f"force-released (was: {prev})",
        "mismatch": f"WARN: lock owner mismatch (have={prev}, expected={result.owner}); "
                    "leaving alone",
    }[result.action]


def _print_result(result: MutexResult, output: str) -> int:
    from dos.api import locks

    if output == "json" or result.ok:
        emit(locks.mutex_json(result), output=output, text=lambda _color: _result_text(result))
    else:  # busy and mismatch go to stderr, as the reference prints them
        print(_result_text(result), file=sys.stderr)
    return 0 if result.ok else 1


def _status_text(status: MutexStatus) -> str:
    held = status.held
    return "free" if held is None else f"{status.state} {held.owner} age={status.age_s}s"


def run(*, action: str, output: str, workspace: str | None, driver: str | None,
        owner: str = "", name: str = "archive", retries: int = 5,
        retry_interval: float = 2.0, ttl_seconds: float | None = None,
        force: bool = False) -> int:
    from dos.api import locks

    config = load_config(workspace, driver)
    if action == "acquire":
        return _print_result(locks.mutex_acquire(
            config, owner, name=name, ttl_seconds=300.0 if ttl_seconds is None else ttl_seconds,
            retries=retries, retry_interval=retry_interval,
            on_wait=lambda result, attempt: _wait_line(result, attempt, retries)), output)
    if action == "release":
        return _print_result(locks.mutex_release(config, owner, name=name, force=force), output)
    status = locks.mutex_status(config, name=name, ttl_seconds=ttl_seconds)
    emit(locks.mutex_status_json(status), output=output, text=lambda _color: _status_text(status))
    return 0
