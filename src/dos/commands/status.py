"""dos status --run-id R: one fail-closed digest — liveness, verified progress, lease."""

from __future__ import annotations

import argparse
from typing import Any

from dos.errors import UsageError

_EPILOG = """\
examples:
  dos status --run-id RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1
  dos status RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1 --ref agent/auth --json

A step counts as verified only when git confirms it: a commit on the run's ref since
its start SHA. Without --start-sha, the start is the HEAD its first lease recorded and
only commits inside its lanes' trees count. Steps the run claims (ATTEMPT records with
a sha) that git does not confirm are listed as unverified; with no start at all,
nothing can be verified.
Exit: the liveness verdict — 0 ADVANCING, 3 SPINNING, 4 STALLED; 2 usage or git
error; 74 the store cannot be read (never a guess)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Digest one run: liveness, progress git confirms, and its lease."
    parser.epilog = _EPILOG
    parser.add_argument("run_id_pos", nargs="?", default=None, metavar="RUN_ID",
                        help="the run (same as --run-id)")
    parser.add_argument("--run-id", default=None, metavar="RID", help="the run to digest")
    parser.add_argument("--start-sha", default="", metavar="SHA",
                        help="the commit the run started from (needed to verify steps)")
    parser.add_argument("--ref", default="HEAD", metavar="REF",
                        help="the run's branch or ref (default HEAD)")
    parser.add_argument("--now-ms", type=int, default=None, metavar="MS",
                        help="judge at this epoch-ms time (default: the store's clock)")
    parser.add_argument("--last-heartbeat-age-ms", type=int, default=None, metavar="MS",
                        help="override the heartbeat age read from the run's lease")
    parser.add_argument("--lane", default="", help="with --loop-ts: a lease identity to "
                        "count as the run's")
    parser.add_argument("--loop-ts", default="", help="the lease's loop_ts (see --lane)")


def _claims(trail: Any) -> list[Any]:
    from dos.temporal.status import Claim

    return [Claim(str(record.payload.get("unit_id", "")), str(record.payload["sha"]))
            for record in trail.records
            if record.op == "ATTEMPT" and isinstance(record.payload.get("sha"), str)
            and str(record.payload.get("outcome", "")).lower() == "shipped"]


def _full_trail(config: Any, run_id: str, lane: str, loop_ts: str) -> Any:
    """Every journal record of the run: claims older than the liveness window count too."""
    from dos.store import reading
    from dos.temporal.evidence import RunTrail, run_trail

    with reading(config) as tx:
        return run_trail(tx, run_id, lane=lane, loop_ts=loop_ts) if tx else \
            RunTrail(run_id, (), ())


def _lease_line(digest: Any, now_ms: int) -> str:
    from dos.admission.holder import iso_utc

    lease = digest.lease
    if lease is None:
        return "(no lease)"
    if lease.released_at_ms is not None:
        return (f"(none live) last #{lease.lease_id} on {lease.lane} ended "
                f"({lease.release_kind}) at {iso_utc(lease.released_at_ms)}")
    state = "live until" if digest.lease_live else "EXPIRED at"
    return (f"#{lease.lease_id} on {lease.lane} held by {lease.holder}, {state} "
            f"{iso_utc(lease.renewed_at_ms + lease.ttl_ms)} (renewed "
            f"{max(0, now_ms - lease.renewed_at_ms)} ms ago)")


def render_text(digest: Any, now_ms: int) -> list[str]:
    verified, unverified = digest.verified, digest.unverified
    progress = f"{len(verified)} verified step(s) (git confirms)"
    if verified:
        progress += " (" + ", ".join(step.step_id for step in verified[:8]) + ")"
    if not digest.commits_counted:
        progress += " — pass --start-sha so git can confirm steps"
    lines = [f"{digest.token.value}  {digest.liveness.reason}",
             f"  progress     : {progress}"]
    if unverified:
        lines.append("  unverified   : " + ", ".join(
            f"{step.step_id} ({step.note})" for step in unverified))
    lines.append(f"  lease        : {_lease_line(digest, now_ms)}")
    region = digest.to_dict()["region"]
    lines.append(f"  region       : {', '.join(region) if region else '(no live lease)'}")
    return lines


def run(*, run_id_pos: str | None, run_id: str | None, start_sha: str, ref: str,
        now_ms: int | None, last_heartbeat_age_ms: int | None, lane: str, loop_ts: str,
        workspace: str | None, driver: str | None, output: str, **_: object) -> int:
    from dos.render import emit_json
    from dos.workspace import load_config

    rid = (run_id or run_id_pos or "").strip()
    if run_id and run_id_pos and run_id.strip().upper() != run_id_pos.strip().upper():
        raise UsageError("RUN_ID and --run-id name different runs", hint="pass one of them")
    if not rid:
        raise UsageError("a run id is required", hint="dos status --run-id RID-…")
    config = load_config(workspace, driver)
    result, now = decide(config, run_id=rid, start_sha=start_sha, ref=ref, now_ms=now_ms,
                         last_heartbeat_age_ms=last_heartbeat_age_ms, lane=lane,
                         loop_ts=loop_ts)
    if output == "json":
        emit_json(result.to_dict())
    else:
        print("\n".join(render_text(result, now)))
    code: int = result.token.exit_code
    return code


def decide(config: Any, *, run_id: str, start_sha: str = "", ref: str = "HEAD",
           now_ms: int | None = None, last_heartbeat_age_ms: int | None = None,
           lane: str = "", loop_ts: str = "") -> tuple[Any, int]:
    """(the digest, the time it was judged at); ``digest.to_dict()`` is the ``--json``
    answer (shared with the MCP server)."""
    from dos.commands._temporal import resolve_now
    from dos.commands.liveness import judge
    from dos.temporal.status import Witnessed, digest

    rid = run_id.strip()
    if not rid:
        raise UsageError("a run id is required", hint="dos status --run-id RID-…")
    now = resolve_now(config, now_ms)
    verdict, trail, commits = judge(
        config, run_id=rid, start_sha=start_sha, ref=ref, now_ms=now,
        heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts)
    lease = trail.live_lease(now) or (trail.unreleased() or list(trail.leases) or [None])[-1]
    result = digest(rid.upper(), verdict, lease=lease,
                    lease_live=lease is not None and lease.is_live(now), claims=_claims(_full_trail(
                        config, rid.upper(), lane.strip(), loop_ts.strip())),
                    commits=[Witnessed(c.sha, c.subject) for c in commits],
                    commits_counted=bool(start_sha.strip())
                    or any(lease.start_sha for lease in trail.leases))
    return result, now
