"""dos status --run-id R: one fail-closed digest — liveness, verified progress, lease."""

from __future__ import annotations

from dos.commands._args import duration_ms, epoch_ms
from dos.errors import UsageError
from dos.temporal.status import StatusDigest

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    import argparse

QUICK_ARGS = True  # the plain lines skip argparse: see dos.commands._quick_args

_EPILOG = """\
examples:
  dos status --run-id RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1
  dos status RID-1M8HSC4V72JNYG0 --start-sha 3f2a9c1 --ref agent/auth --json

A step counts as verified only when git confirms it: a commit on the run's ref since
its start SHA. Without --start-sha, the start is the HEAD its first lease recorded and
only commits inside its lanes' trees count. Steps the run claims (ATTEMPT records with
a sha) that git does not confirm are listed as unverified; with no start at all,
nothing can be verified.
Exit: the liveness verdict — 0 ADVANCING, 3 SPINNING, 4 STALLED, 5 UNKNOWN (nothing
knows the run); 2 usage or git error (an unknown --ref too); 74 the store cannot be read
(never a guess)."""


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
    parser.add_argument("--now-ms", type=epoch_ms(), default=None, metavar="MS",
                        help="judge at this epoch-ms time (default: the store's clock)")
    parser.add_argument("--last-heartbeat-age-ms", type=duration_ms(), default=None, metavar="MS",
                        help="override the heartbeat age read from the run's lease")
    parser.add_argument("--lane", default="", help="with --loop-ts: a lease identity to "
                        "count as the run's")
    parser.add_argument("--loop-ts", default="", help="the lease's loop_ts (see --lane)")


def _lease_line(digest: StatusDigest, now_ms: int) -> str:
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


def render_text(digest: StatusDigest, now_ms: int, *, color: bool = False) -> list[str]:
    """The digest as the reference's lines: the verdict line, then indented details."""
    from dos.commands._temporal import verdict_line

    verified, unverified = digest.verified, digest.unverified
    progress = f"{len(verified)} verified step(s) (git confirms)"
    if verified:
        progress += " (" + ", ".join(step.step_id for step in verified[:8]) + ")"
    if not digest.commits_counted:
        progress += " — pass --start-sha so git can confirm steps"
    lines = [verdict_line(digest.token.value, digest.liveness.reason, color=color),
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
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import temporal as api
    from dos.render import emit
    from dos.workspace import load_config

    rid = (run_id or run_id_pos or "").strip()
    if run_id and run_id_pos and run_id.strip().upper() != run_id_pos.strip().upper():
        raise UsageError("RUN_ID and --run-id name different runs", hint="pass one of them")
    if not rid:
        raise UsageError("a run id is required", hint="dos status --run-id RID-…")
    config = load_config(workspace, driver)
    found = api.status(config, run_id=rid, start_sha=start_sha, ref=ref, now_ms=now_ms,
                       last_heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts)
    emit(api.status_json(found), output=output,
         text=lambda color: "\n".join(render_text(found.digest, found.now_ms, color=color)))
    return found.digest.token.exit_code
