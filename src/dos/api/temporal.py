"""Run questions: is this run moving, what has it verifiably done, where has it been?"""

from __future__ import annotations

from dos._types import cast
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.git.progress import Commit
from dos.render import with_schema
from dos.structs import struct
from dos.temporal.evidence import RunTrail
from dos.temporal.liveness import LivenessVerdict
from dos.temporal.status import Claim, StatusDigest

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from dos.api.temporal_json import (
        LivenessJSON,
        StatusJSON,
        TraceJSON,
    )

__all__ = ["LivenessJSON", "RunStatus", "StatusJSON", "TraceJSON", "check_run_id", "judge",
           "liveness", "liveness_json", "non_negative", "resolve_now", "status", "status_json",
           "trace", "trace_json"]


def non_negative(flag: str, value: int | None) -> int | None:
    """``value`` unless it is negative (a usage error naming ``flag``)."""
    if value is not None and value < 0:
        raise UsageError(f"{flag} must be 0 or more, got {value}",
                         hint=f"pass {flag} as a non-negative integer")
    return value


def resolve_now(config: SubstrateConfig, now_ms: int | None) -> int:
    """``now_ms`` when given, else the store's clock (the wall clock without a store)."""
    if now_ms is not None:
        non_negative("--now-ms", now_ms)
        return now_ms
    from dos.temporal.evidence import store_now_ms

    return store_now_ms(config)


def check_run_id(run_id: str) -> str:
    """The canonical (upper-case) run id; a usage error when it is not one."""
    from dos.run_id import is_run_id

    if not is_run_id(run_id.strip()):
        raise UsageError(f"{run_id!r} is not a valid run id",
                         hint="expected RID-… minted by `dos run-id mint`")
    return run_id.strip().upper()


def judge(config: SubstrateConfig, *, run_id: str, start_sha: str = "", ref: str = "HEAD",
          now_ms: int | None = None, heartbeat_age_ms: int | None = None, lane: str = "",
          loop_ts: str = "", process_alive: bool | None = None
          ) -> tuple[LivenessVerdict, RunTrail, list[Commit]]:
    """(verdict, trail, commits) for one run: the evidence ``liveness`` and ``status``
    share."""
    from dos.temporal.evidence import judge_run

    rid = check_run_id(run_id)
    non_negative("--last-heartbeat-age-ms", heartbeat_age_ms)
    return judge_run(
        config, run_id=rid, now_ms=resolve_now(config, now_ms),
        start_sha=start_sha.strip(), ref=ref.strip() or "HEAD", lane=lane.strip(),
        loop_ts=loop_ts.strip(), heartbeat_age_ms=heartbeat_age_ms,
        process_alive=process_alive)


def liveness(config: SubstrateConfig, *, run_id: str, start_sha: str = "", ref: str = "HEAD",
             now_ms: int | None = None, last_heartbeat_age_ms: int | None = None,
             lane: str = "", loop_ts: str = "", pid: int | None = None, host_id: str = "",
             no_proc: bool = False) -> LivenessVerdict:
    """Is the run moving? ADVANCING, SPINNING or STALLED, from commits on ``ref`` since
    ``start_sha`` and its journal events (``dos liveness``)."""
    from dos.temporal.evidence import probe_process

    alive = None if no_proc or pid is None else probe_process(pid, host_id.strip())[0]
    verdict, _trail, _commits = judge(
        config, run_id=run_id, start_sha=start_sha, ref=ref, now_ms=now_ms,
        heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts,
        process_alive=alive)
    return verdict


def liveness_json(verdict: LivenessVerdict, run_id: str = "") -> LivenessJSON:
    """The answer, naming the run it judged (as ``status`` does)."""
    payload = {**verdict.to_dict(), "run_id": check_run_id(run_id) if run_id else ""}
    return cast("LivenessJSON", with_schema(payload, "liveness"))


@struct
class RunStatus:
    """A run's digest and the time (store clock, ms) it was judged at."""

    digest: StatusDigest
    now_ms: int


def _claims(trail: RunTrail) -> list[Claim]:
    return [Claim(str(record.payload.get("unit_id", "")), str(record.payload["sha"]))
            for record in trail.records
            if record.op == "ATTEMPT" and isinstance(record.payload.get("sha"), str)
            and str(record.payload.get("outcome", "")).lower() == "shipped"]


def _full_trail(config: SubstrateConfig, run_id: str, lane: str, loop_ts: str) -> RunTrail:
    """Every journal record of the run: claims older than the liveness window count too."""
    from dos.store import reading
    from dos.temporal.evidence import run_trail

    with reading(config) as tx:
        return run_trail(tx, run_id, lane=lane, loop_ts=loop_ts) if tx else \
            RunTrail(run_id, (), ())


def status(config: SubstrateConfig, *, run_id: str, start_sha: str = "", ref: str = "HEAD",
           now_ms: int | None = None, last_heartbeat_age_ms: int | None = None,
           lane: str = "", loop_ts: str = "") -> RunStatus:
    """One fail-closed digest of a run: liveness, the steps git confirms, its lease
    (``dos status``)."""
    from dos.temporal.status import Witnessed, digest

    rid = check_run_id(run_id)
    now = resolve_now(config, now_ms)
    verdict, trail, commits = judge(
        config, run_id=rid, start_sha=start_sha, ref=ref, now_ms=now,
        heartbeat_age_ms=last_heartbeat_age_ms, lane=lane, loop_ts=loop_ts)
    held = trail.unreleased() or list(trail.leases)
    lease = trail.live_lease(now) or (held[-1] if held else None)
    claims = _claims(_full_trail(config, rid, lane.strip(), loop_ts.strip()))
    result = digest(rid, verdict, lease=lease, lease_live=lease is not None
                    and lease.is_live(now), claims=claims,
                    commits=[Witnessed(c.sha, c.subject) for c in commits],
                    commits_counted=bool(start_sha.strip())
                    or any(held.start_sha for held in trail.leases))
    return RunStatus(result, now)


def status_json(run: RunStatus) -> StatusJSON:
    return cast("StatusJSON", with_schema(run.digest.to_dict(), "status"))


def trace(config: SubstrateConfig, *, run_id: str, start_sha: str = "",
          ref: str = "HEAD") -> TraceJSON:
    """One run's spine (its id and who spawned it), leases, journal records and commits
    since ``start_sha`` on ``ref`` (``dos trace``). Reads only."""
    from dos.git.progress import commits_since
    from dos.run_id import parse
    from dos.store import reading
    from dos.temporal.evidence import iter_run_records, run_trail

    rid, start_sha, ref = check_run_id(run_id), start_sha.strip(), ref.strip() or "HEAD"
    if ref != "HEAD":
        from dos.git.progress import resolve_commit

        resolve_commit(config.root, ref, what="--ref")  # a typo must not read as "no commits"
    with reading(config) as tx:
        trail = run_trail(tx, rid) if tx else RunTrail(rid, (), ())
        # Who spawned it: the SPAWN records that carry its id, from the run-id index.
        spawned = [record.holder for record in iter_run_records(tx, rid, op="SPAWN")
                   ] if tx else []
    commits = commits_since(config.root, start_sha, ref) if start_sha else []
    leases = [lease.to_dict() for lease in trail.leases]
    journal = [{key: value for key, value in record.to_dict().items()
                if key not in ("hash", "prev_hash")} for record in trail.records]
    return {
        "run_id": rid, "found": bool(leases or journal or commits),
        "spine": {**parse(rid), "spawned_by": spawned},
        "leases": leases, "journal": journal,
        "git": {"start_sha": start_sha, "ref": ref, "commits": [c.to_dict() for c in commits]},
    }


def trace_json(found: TraceJSON) -> TraceJSON:
    return cast("TraceJSON", with_schema(found, "trace"))


if not TYPE_CHECKING:
    from dos.api._shapes import shapes_from

    __getattr__ = shapes_from(__name__, "dos.api.temporal_json")
