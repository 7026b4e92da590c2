"""dos lease-lane {acquire,release,heartbeat,spawn,live,reap}: the atomic admission step."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from dos.admission.lease import MODES, Lease
from dos.commands._args import count, identifier, pid, seconds
from dos.commands._output import PRETTY_HELP, answer
from dos.errors import StoreError
from dos.limits import MAX_LEASE_TTL_S
from dos.render import paint
from dos.workspace import load_config

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    import argparse
    from typing import Any

QUICK_ARGS = True  # the plain lines skip argparse: see dos.commands._quick_args

_EPILOG = """\
examples:
  dos lease-lane acquire --lane src --owner "$SESSION"      take lane src (its declared tree)
  dos lease-lane acquire --owner "$SESSION"                 auto-pick a free lane
  dos lease-lane heartbeat --lane src --owner "$SESSION"    renew it before its TTL passes
  dos lease-lane release --lane src --owner "$SESSION"      only the holder may release
  dos lease-lane release --lane src --owner "$SESSION" --outcome shipped --unit AUTH2
  dos lease-lane live                                       the leases live now

The owner is --owner, else $DOS_OWNER. A lease lives until it is released or its TTL
passes by the store's clock; expired leases never block. lease_id is a fencing token.
exit: 0 acquired/done, 1 refused/not held, 2 usage (a lane dos.toml does not declare, for
acquire and spawn), 74 store unreadable, 75 store busy."""


def _owner_flag(parser: argparse.ArgumentParser, *, optional_note: str = "") -> None:
    parser.add_argument("--owner", default="", help="the holder's identity, e.g. a session "
                        f"id (default: $DOS_OWNER){optional_note}")


def _lease_flags(parser: argparse.ArgumentParser, *, lane_required: bool = False) -> None:
    parser.add_argument("--lane", default="", required=lane_required,
                        help="the lane (any alias or case)")
    parser.add_argument("--lease-id", type=identifier(), default=None,
                        help="the exact lease (its fencing token), when a lane is not enough")
    parser.add_argument("--loop-ts", default="", help="only the lease with this loop stamp")


def _acquire_flags(acquire: argparse.ArgumentParser) -> None:
    _owner_flag(acquire)
    acquire.add_argument("--lane", default="", help="the lane to take; omit to auto-pick")
    acquire.add_argument("--kind", default="", help="accepted for compatibility: only "
                         "'global' (with no --lane) changes anything; exclusivity comes from "
                         "[lanes] in dos.toml")
    acquire.add_argument("--tree", nargs="*", default=[], metavar="GLOB",
                         help="the globs to lease (default: the lane's declared tree)")
    acquire.add_argument("--mode", choices=MODES, default="exclusive",
                         help="shared leases may overlap other shared leases")
    acquire.add_argument("--ttl-seconds", default=300.0,
                         type=seconds(high=MAX_LEASE_TTL_S, low_open=True),
                         help="how long the lease lives without a heartbeat (default 300)")
    acquire.add_argument("--run-id", default=None,
                         help="the run this lease is for (default: $CID_RUN_ID, "
                         "$DISPATCH_RUN_ID)")
    acquire.add_argument("--loop-ts", default="", help="a loop stamp to record (default: now)")
    acquire.add_argument("--start-sha", default=None, metavar="REV",
                         help="the commit the holder starts from (default: the workspace's "
                              "HEAD); liveness counts its commits in the lane's tree since")
    acquire.add_argument("--pid", type=pid(), default=None,
                         help="the worker's pid to record (default: none; this CLI exits)")
    acquire.add_argument("--host-id", default=None,
                         help="the host to record (default: $DISPATCH_HOST_ID or hostname)")
    acquire.add_argument("--leases", default=None, metavar="JSON",
                         help="extra live leases (a JSON array) counted besides the store's")
    acquire.add_argument("--retries", type=count(), default=5,
                         help="tries again this many times when the store stays locked past "
                         "its busy timeout (default 5)")
    acquire.add_argument("--retry-interval", type=seconds(), default=0.2, metavar="S",
                         help="seconds between those tries (default 0.2)")
    acquire.add_argument("--pretty", action="store_true", help=PRETTY_HELP)


def _release_flags(release: argparse.ArgumentParser) -> None:
    from dos.store.attempt_outcomes import OUTCOMES  # only release's flags

    _owner_flag(release)
    _lease_flags(release)
    release.add_argument("--outcome", default=None, choices=OUTCOMES,
                         help="with --unit: record how your attempt at the unit ended")
    release.add_argument("--unit", default=None, help="the unit you attempted (with --outcome)")


def _heartbeat_flags(beat: argparse.ArgumentParser) -> None:
    _owner_flag(beat)
    _lease_flags(beat)
    beat.add_argument("--coalesce-within-s", type=seconds(), default=0.0,
                      help="skip the write if renewed less than this many seconds ago")


def _spawn_flags(spawn: argparse.ArgumentParser) -> None:
    _owner_flag(spawn, optional_note=", then host:pid")
    spawn.add_argument("--lane", required=True, help="the lane the worker is for")
    spawn.add_argument("--loop-ts", default="", help="the worker's loop stamp")
    spawn.add_argument("--run-id", default=None, help="the worker's run id")
    spawn.add_argument("--reason", default="", help="why (default: spawn:<owner>)")


def _live_flags(live: argparse.ArgumentParser) -> None:
    live.add_argument("--pretty", action="store_true", help=PRETTY_HELP)


def _reap_flags(reap: argparse.ArgumentParser) -> None:
    _owner_flag(reap, optional_note=", then host:pid")
    reap.add_argument("--lease-id", type=identifier(), default=None, help="reap only this lease")
    reap.add_argument("--grace-seconds", type=seconds(), default=0.0,
                      help="only leases expired for at least this long")
    reap.add_argument("--force", action="store_true",
                      help="with --lease-id: reap it even while live (its holder may still "
                      "be writing)")
    reap.add_argument("--reason", default="", help="why (recorded in the journal)")


# name -> (help, flags); dos.cli passes the one on the command line as ``only``
_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "acquire": ("decide and take a lease in one transaction", _acquire_flags),
    "release": ("end your lease (only its holder may)", _release_flags),
    "heartbeat": ("renew your live lease", _heartbeat_flags),
    "spawn": ("record that a worker is meant to start (grants nothing)", _spawn_flags),
    "live": ("list the leases live now (reads only)", _live_flags),
    "reap": ("end leases whose TTL has passed, or one lease", _reap_flags),
}
SUBCOMMANDS = tuple(_SUBCOMMANDS)


def add_arguments(parser: argparse.ArgumentParser, *, only: str | None = None) -> None:
    """The verb's parser; with ``only`` (the sub-command given), that one alone is built:
    a sub-command's parser is only ever reached through its own name."""
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
    for name, (summary, flags) in _SUBCOMMANDS.items():
        if only in (None, name):
            flags(actions.add_parser(name, help=summary))


def _until(lease: Lease) -> str:
    from dos.admission.holder import iso_utc

    return iso_utc(lease.renewed_at_ms + lease.ttl_ms)


def lease_line(lease: Lease) -> str:
    """One live lease: ``#3  src  held by A  exclusive  until …  tree src/**``."""
    run = f"  run {lease.run_id}" if lease.run_id else ""
    return (f"#{lease.lease_id}  {lease.lane or '-'}  held by {lease.holder}  {lease.mode}  "
            f"until {_until(lease)}{run}  tree {', '.join(lease.tree) or '(none)'}")


def _acquire_text(result: Any, color: bool) -> str:
    from dos.commands.arbitrate import verdict_line

    lines = [verdict_line(result.decision, color=color)]
    if result.lease is not None:
        lines.append(f"  lease #{result.lease.lease_id} on {result.lease.lane} held by "
                     f"{result.owner} until {_until(result.lease)} (renew with "
                     "`dos lease-lane heartbeat`); its lease_id is the fencing token")
    return "\n".join(lines)


def _acquire(config: Any, *, pretty: bool, output: str, lane: str, kind: str,
             leases: str | None, **request: Any) -> int:
    from dos.api import admission as api

    extra = api.leases_from_json(leases) if leases is not None else []
    try:
        result = api.acquire(config, lane=lane, kind=kind, leases=extra, **request)
    except StoreError as exc:
        failure = api.store_failure(exc, api.effective_lane(lane, kind))
        answer(api.store_failure_json(failure), output=output, pretty=pretty,
               text=lambda color: f"{paint(failure.token.value, 'bold', 'red', enabled=color)}"
                                  f"  {failure.reason}")
        print(f"dos: error: {exc.render()}", file=sys.stderr)
        return failure.token.exit_code
    answer(api.acquire_json(result), output=output, pretty=pretty,
           text=lambda color: _acquire_text(result, color))
    return api.acquire_token(result).exit_code


def _done_text(done: Any, color: bool) -> str:
    """A lease step's outcome: the word, what it touched, and why not when it did not."""
    word = {"release": ("RELEASED", "NOT_RELEASED"), "heartbeat": ("RENEWED", "NOT_RENEWED"),
            "spawn": ("RECORDED", "NOT_RECORDED"), "reap": ("REAPED", "NOT_REAPED")}[done.action]
    head = paint(word[0] if done.ok else word[1], "bold", "green" if done.ok else "red",
                 enabled=color)
    result = done.done
    if done.action == "reap":
        reaped = [f"  #{lease.lease_id} {lease.lane} held by {lease.holder}"
                  for lease in result.reaped]
        return "\n".join([f"{head}  {len(reaped)} lease(s)"
                          + (f" — {result.reason}" if result.reason else ""), *reaped])
    if not done.ok or getattr(result, "already_released", False):
        return f"{head}  {result.reason}"  # why not, or that an earlier release already held
    if done.action == "spawn":
        ids = ", ".join(part for part in (f"loop_ts {result.loop_ts}" if result.loop_ts else "",
                                          f"run {result.run_id}" if result.run_id else "") if part)
        return (f"{head}  SPAWN on {result.lane} by {result.holder}"
                + (f" ({ids})" if ids else ""))
    lease = result.lease
    what = f"lease #{lease.lease_id} on {lease.lane}" if lease else f"lane {result.lane}"
    if done.action == "heartbeat":
        note = " (coalesced: renewed moments ago)" if result.reason == "coalesced" else ""
        return f"{head}  {what} until {_until(lease) if lease else '?'}{note}"
    attempt = getattr(result, "attempt", None)
    noted = (f"; attempt #{attempt['seq']} at {attempt['unit_id']}: {attempt['outcome']}"
             if attempt else "")
    return f"{head}  {what} (owner {result.owner}){noted}"


def _live_text(leases: Sequence[Lease]) -> str:
    return "\n".join(lease_line(lease) for lease in leases) or "(no live leases)"


def run(*, action: str, workspace: str | None, driver: str | None, output: str,
        owner: str = "", lane: str = "", kind: str = "", tree: list[str] | None = None,
        mode: str = "exclusive", ttl_seconds: float = 300.0, run_id: str | None = None,
        loop_ts: str = "", pid: int | None = None, host_id: str | None = None,
        leases: str | None = None, pretty: bool = False, lease_id: int | None = None,
        coalesce_within_s: float = 0.0, reason: str = "", grace_seconds: float = 0.0,
        force: bool = False, start_sha: str | None = None, retries: int = 5,
        retry_interval: float = 0.2, outcome: str | None = None,
        unit: str | None = None) -> int:
    from dos.api import admission as api

    config = load_config(workspace, driver)
    if action == "acquire":
        return _acquire(config, pretty=pretty, output=output, lane=lane, kind=kind,
                        leases=leases, owner=owner, tree=tree or [], mode=mode,
                        ttl_seconds=ttl_seconds, run_id=run_id, loop_ts=loop_ts, pid=pid,
                        host_id=host_id, start_sha=start_sha, retries=retries,
                        retry_interval=retry_interval)
    if action == "live":
        found = api.live(config)
        answer(api.live_json(found), output=output, pretty=pretty,
               text=lambda _color: _live_text(found))
        return 0
    if action == "release":
        done = api.release(config, owner=owner, lane=lane, lease_id=lease_id, loop_ts=loop_ts,
                           unit=unit, outcome=outcome)
    elif action == "heartbeat":
        done = api.heartbeat(config, owner=owner, lane=lane, lease_id=lease_id,
                             loop_ts=loop_ts, coalesce_within_s=coalesce_within_s)
    elif action == "spawn":
        done = api.spawn(config, lane=lane, owner=owner, loop_ts=loop_ts, run_id=run_id,
                         reason=reason)
    else:
        done = api.reap(config, lease_id=lease_id, grace_seconds=grace_seconds, force=force,
                        owner=owner, reason=reason)
    answer(api.lease_action_json(done), output=output, text=lambda color: _done_text(done, color))
    return done.exit_code
