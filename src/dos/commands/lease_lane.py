"""dos lease-lane {acquire,release,heartbeat,spawn,live,reap}: the atomic admission step."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from dos.admission.lease import MODES, Lease
from dos.errors import StoreBusyError, StoreError, UsageError
from dos.render import dumps
from dos.verdicts.admission import LeaseLaneToken
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos lease-lane acquire --lane src --owner "$SESSION"      take lane src (its declared tree)
  dos lease-lane acquire --owner "$SESSION"                 auto-pick a free lane
  dos lease-lane heartbeat --lane src --owner "$SESSION"    renew it before its TTL passes
  dos lease-lane release --lane src --owner "$SESSION"      only the holder may release
  dos lease-lane live                                       the leases live now

The owner is --owner, else $DOS_OWNER. A lease lives until it is released or its TTL
passes by the store's clock; expired leases never block. lease_id is a fencing token.
exit: 0 acquired/done, 1 refused/not held, 2 usage, 74 store unreadable, 75 store busy."""


def _owner_flag(parser: argparse.ArgumentParser, *, optional_note: str = "") -> None:
    parser.add_argument("--owner", default="", help="the holder's identity, e.g. a session "
                        f"id (default: $DOS_OWNER){optional_note}")


def _lease_flags(parser: argparse.ArgumentParser, *, lane_required: bool = False) -> None:
    parser.add_argument("--lane", default="", required=lane_required,
                        help="the lane (any alias or case)")
    parser.add_argument("--lease-id", type=int, default=None,
                        help="the exact lease (its fencing token), when a lane is not enough")
    parser.add_argument("--loop-ts", default="", help="only the lease with this loop stamp")


def _add_acquire(actions: Any) -> None:
    acquire = actions.add_parser("acquire", help="decide and take a lease in one transaction")
    _owner_flag(acquire)
    acquire.add_argument("--lane", default="", help="the lane to take; omit to auto-pick")
    acquire.add_argument("--kind", default="", help="accepted for compatibility: only "
                         "'global' (with no --lane) changes anything; exclusivity comes from "
                         "[lanes] in dos.toml")
    acquire.add_argument("--tree", nargs="*", default=[], metavar="GLOB",
                         help="the globs to lease (default: the lane's declared tree)")
    acquire.add_argument("--mode", choices=MODES, default="exclusive",
                         help="shared leases may overlap other shared leases")
    acquire.add_argument("--ttl-seconds", type=float, default=300.0,
                         help="how long the lease lives without a heartbeat (default 300)")
    acquire.add_argument("--run-id", default=None,
                         help="the run this lease is for (default: $CID_RUN_ID, "
                         "$DISPATCH_RUN_ID)")
    acquire.add_argument("--loop-ts", default="", help="a loop stamp to record (default: now)")
    acquire.add_argument("--start-sha", default=None, metavar="REV",
                         help="the commit the holder starts from (default: the workspace's "
                              "HEAD); liveness counts its commits in the lane's tree since")
    acquire.add_argument("--pid", type=int, default=None,
                         help="the worker's pid to record (default: none; this CLI exits)")
    acquire.add_argument("--host-id", default=None,
                         help="the host to record (default: $DISPATCH_HOST_ID or hostname)")
    acquire.add_argument("--leases", default=None, metavar="JSON",
                         help="extra live leases (a JSON array) counted besides the store's")
    acquire.add_argument("--retries", type=int, default=5,
                         help="accepted for compatibility; waiting is [store] busy_timeout_ms")
    acquire.add_argument("--retry-interval", type=float, default=0.2,
                         help="accepted for compatibility; see --retries")
    acquire.add_argument("--pretty", action="store_true", help="indent the JSON output")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="{acquire,release,heartbeat,spawn,live,reap}")
    _add_acquire(actions)
    release = actions.add_parser("release", help="end your lease (only its holder may)")
    _owner_flag(release)
    _lease_flags(release)
    beat = actions.add_parser("heartbeat", help="renew your live lease")
    _owner_flag(beat)
    _lease_flags(beat)
    beat.add_argument("--coalesce-within-s", type=float, default=0.0,
                      help="skip the write if renewed less than this many seconds ago")
    spawn = actions.add_parser("spawn", help="record that a worker is meant to start "
                               "(grants nothing)")
    _owner_flag(spawn, optional_note=", then host:pid")
    spawn.add_argument("--lane", required=True, help="the lane the worker is for")
    spawn.add_argument("--loop-ts", default="", help="the worker's loop stamp")
    spawn.add_argument("--run-id", default=None, help="the worker's run id")
    spawn.add_argument("--reason", default="", help="why (default: spawn:<owner>)")
    live = actions.add_parser("live", help="list the leases live now (reads only)")
    live.add_argument("--pretty", action="store_true", help="indent the JSON output")
    reap = actions.add_parser("reap", help="end leases whose TTL has passed, or one lease")
    _owner_flag(reap, optional_note=", then host:pid")
    reap.add_argument("--lease-id", type=int, default=None, help="reap only this lease")
    reap.add_argument("--grace-seconds", type=float, default=0.0,
                      help="only leases expired for at least this long")
    reap.add_argument("--force", action="store_true",
                      help="with --lease-id: reap it even while live (its holder may still "
                      "be writing)")
    reap.add_argument("--reason", default="", help="why (recorded in the journal)")


def _print(payload: Any, *, pretty: bool = False) -> None:
    print(json.dumps(payload, sort_keys=True, ensure_ascii=True, indent=2) if pretty
          else dumps(payload))


def _parse_leases(text: str | None) -> list[Lease]:
    if text is None:
        return []
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--leases is not valid JSON ({exc})",
                         hint="pass a JSON array of lease objects, e.g. '[]'") from None
    if not isinstance(raw, list):
        raise UsageError(f"--leases must be a JSON array (got {type(raw).__name__})",
                         hint="wrap the lease objects in [ ]")
    try:
        return [Lease.from_dict(item) for item in raw]
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--leases has a malformed lease: {exc}",
                         hint="each element must be an object with lane and tree") from None


def store_failure(exc: StoreError, lane: str) -> tuple[dict[str, Any], int]:
    """The ``--json`` answer of an acquire the store could not serve, and its exit code."""
    token = LeaseLaneToken.STORE_BUSY if isinstance(exc, StoreBusyError) \
        else LeaseLaneToken.STORE_UNREADABLE
    return {"outcome": token.value, "lane": lane, "reason": exc.message,
            "reason_class": token.value, "journaled": False}, token.exit_code


def _store_failure(exc: StoreError, lane: str) -> int:
    payload, code = store_failure(exc, lane)
    _print(payload)
    print(f"dos: error: {exc.render()}", file=sys.stderr)
    return code


def effective_lane(lane: str, kind: str) -> str:
    """The lane asked for: ``--kind global`` with no lane means the lane named global."""
    return "global" if not lane.strip() and kind.strip().casefold() == "global" else lane


def acquire_answer(config: Any, *, owner: str = "", lane: str = "", kind: str = "",
                   tree: list[str] | None = None, mode: str = "exclusive",
                   ttl_seconds: float = 300.0, run_id: str | None = None, loop_ts: str = "",
                   pid: int | None = None, host_id: str | None = None,
                   leases: str | None = None,
                   start_sha: str | None = None) -> tuple[dict[str, Any], int]:
    """Decide and take a lease: the ``--json`` answer and the exit code (shared with the
    MCP server). A store that cannot serve raises StoreError (see :func:`store_failure`)."""
    from dos.admission import lane_lease
    from dos.admission.lease import LeaseRequest

    if mode not in MODES:
        raise UsageError(f"unknown lease mode {mode!r}", hint="use exclusive or shared")
    lane = effective_lane(lane, kind)
    run = run_id if run_id is not None else (
        os.environ.get("CID_RUN_ID") or os.environ.get("DISPATCH_RUN_ID") or "")
    extra = _parse_leases(leases)
    if start_sha:
        from dos.git.progress import resolve_commit

        start_sha = resolve_commit(config.root, start_sha, what="--start-sha")
    request = LeaseRequest(lane=lane, tree=tuple(tree or ()), mode=mode, owner=owner)
    result = lane_lease.acquire(config, request, owner=owner, ttl_s=ttl_seconds,
                                run_id=run, loop_ts=loop_ts, host_id=host_id,
                                pid=pid if pid is not None else 0, extra_leases=extra,
                                start_sha=start_sha)
    token = LeaseLaneToken.ACQUIRE if result.acquired else LeaseLaneToken.REFUSE
    return result.to_dict(), token.exit_code


def _acquire(config: Any, *, pretty: bool, **flags: Any) -> int:
    try:
        payload, code = acquire_answer(config, **flags)
    except StoreError as exc:
        return _store_failure(exc, effective_lane(flags["lane"], flags["kind"]))
    _print(payload, pretty=pretty)
    return code


def answer(config: Any, *, action: str, owner: str = "", lane: str = "",
           lease_id: int | None = None, loop_ts: str = "", coalesce_within_s: float = 0.0,
           run_id: str | None = None, reason: str = "", grace_seconds: float = 0.0,
           force: bool = False) -> tuple[Any, int]:
    """The ``--json`` answer and exit code of every action but acquire (shared with the
    MCP server)."""
    from dos.admission import lane_lease

    if action == "live":
        return [lease.to_dict() for lease in lane_lease.live_leases(config)], 0
    if action == "release":
        done: Any = lane_lease.release(config, lane=lane, owner=owner, lease_id=lease_id,
                                       loop_ts=loop_ts)
        ok = done.ok  # a second release is "already released", exit 0
    elif action == "heartbeat":
        done = lane_lease.heartbeat(config, lane=lane, owner=owner, lease_id=lease_id,
                                    loop_ts=loop_ts, coalesce_within_s=coalesce_within_s)
        ok = done.beat
    elif action == "spawn":
        done = lane_lease.spawn(config, lane=lane, owner=owner, loop_ts=loop_ts,
                                run_id=run_id or "", reason=reason)
        ok = done.recorded
    elif action == "reap":
        done = lane_lease.reap(config, lease_id=lease_id, grace_s=grace_seconds, force=force,
                               owner=owner, reason=reason)
        ok = not done.reason
    else:
        raise UsageError(f"unknown action {action!r}", hint="see `dos lease-lane --help`")
    return done.to_dict(), 0 if ok else 1


def run(*, action: str, workspace: str | None, driver: str | None,
        owner: str = "", lane: str = "", kind: str = "", tree: list[str] | None = None,
        mode: str = "exclusive", ttl_seconds: float = 300.0, run_id: str | None = None,
        loop_ts: str = "", pid: int | None = None, host_id: str | None = None,
        leases: str | None = None, pretty: bool = False, lease_id: int | None = None,
        coalesce_within_s: float = 0.0, reason: str = "", grace_seconds: float = 0.0,
        force: bool = False, start_sha: str | None = None, **_: object) -> int:
    config = load_config(workspace, driver)
    if action == "acquire":
        return _acquire(config, owner=owner, lane=lane, kind=kind, tree=tree or [], mode=mode,
                        ttl_seconds=ttl_seconds, run_id=run_id, loop_ts=loop_ts, pid=pid,
                        host_id=host_id, leases=leases, pretty=pretty, start_sha=start_sha)
    payload, code = answer(config, action=action, owner=owner, lane=lane, lease_id=lease_id,
                           loop_ts=loop_ts, coalesce_within_s=coalesce_within_s, run_id=run_id,
                           reason=reason, grace_seconds=grace_seconds, force=force)
    _print(payload, pretty=pretty)
    return code
