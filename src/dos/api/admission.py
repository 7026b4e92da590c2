"""Admission questions: may this lane be taken, take it, renew it, give it back, stop a run."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from dos._types import cast
from dos.admission.declared import declared_lane
from dos.admission.lease import MODES, Lease
from dos.config import SubstrateConfig
from dos.errors import StoreBusyError, StoreError, UsageError
from dos.limits import (
    MAX_COUNT,
    MAX_EPOCH_MS,
    MAX_ID,
    MAX_LEASE_TTL_S,
    MAX_PID,
    decimal_int,
    fits_int,
)
from dos.render import with_schema
from dos.structs import struct

# The write machinery loads when a lease is written, not to arbitrate; the verdict enums
# when a verb decides with them (release needs neither arbitrate's nor acquire's).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dos.admission.arbiter import Decision
    from dos.admission.lane_lease import (
        HaltResult,
        HeartbeatResult,
        LeaseResult,
        ReapResult,
        ReleaseResult,
        SpawnResult,
    )
    from dos.api.admission_json import (
        AcquireJSON,
        ArbitrateJSON,
        HaltJSON,
        HeartbeatJSON,
        LeaseActionJSON,
        LeaseJSON,
        ReapJSON,
        ReleaseJSON,
        SpawnJSON,
        StoreFailureJSON,
    )
    from dos.verdicts.lease_lane import LeaseLaneToken

    LeaseDone = ReleaseResult | HeartbeatResult | SpawnResult | ReapResult

__all__ = [
    "AcquireJSON", "ArbitrateJSON", "HaltJSON", "HeartbeatJSON", "LeaseAction", "LeaseActionJSON",
    "LeaseJSON",
    "ReapJSON", "ReleaseJSON", "SpawnJSON", "StoreFailure", "StoreFailureJSON", "acquire",
    "acquire_json", "acquire_token", "arbitrate", "arbitrate_json", "effective_lane", "halt",
    "halt_json", "heartbeat", "lease_action_json", "leases_from_json", "leases_from_objects",
    "live", "live_json", "reap", "release", "spawn", "store_failure", "store_failure_json",
]


def leases_from_objects(items: Sequence[object]) -> list[Lease]:
    """Leases from decoded JSON objects (``--leases``, or an MCP ``leases`` argument)."""
    leases = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise UsageError(f"--leases[{index}] must be a JSON object, got "
                             f"{type(item).__name__}", hint="give each lease as {...}")
        try:
            lease = Lease.from_dict(item)
        except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(inf)
            raise UsageError(f"--leases[{index}] is malformed: {exc}",
                             hint="see `dos lease-lane live --json` for the shape") from None
        leases.append(_bounded_lease(index, lease))
    return leases


# The highest value of each number a lease carries; the lowest is 0.
_LEASE_MAXIMA = {"lease_id": MAX_ID, "acquired_at_ms": MAX_EPOCH_MS,
                 "renewed_at_ms": MAX_EPOCH_MS, "ttl_ms": MAX_LEASE_TTL_S * 1000,
                 "pid": MAX_PID}


def _bounded_lease(index: int, lease: Lease) -> Lease:
    """``lease`` when every number in it fits what the store and the clock hold."""
    for name, high in _LEASE_MAXIMA.items():
        value = getattr(lease, name)
        if value is not None and not fits_int(value, 0, high):
            raise UsageError(f"--leases[{index}] {name} must be an integer from 0 to {high}, "
                             f"got {str(value)[:40]}",
                             hint="see `dos lease-lane live --json` for the shape")
    return lease


def leases_from_json(text: str) -> list[Lease]:
    """The ``--leases`` JSON array as leases; a usage error when it is not one."""
    from dos._fastjson import loads  # bounded nesting: a deep document is an error, not a crash

    try:
        data = loads(text)
    except ValueError as exc:
        raise UsageError(f"--leases is not valid JSON ({exc}); expected a JSON array of "
                         "lease objects", hint="quote the JSON in single quotes") from None
    if not isinstance(data, list):
        raise UsageError(f"--leases must be a JSON array (got {type(data).__name__})",
                         hint='wrap the leases in [ ], e.g. \'[{"lane": "src", ...}]\'')
    return leases_from_objects(data)


def _budgets(items: Sequence[str]) -> dict[str, int]:
    budgets = {}
    for item in items:
        name, eq, value = item.partition("=")
        budget = decimal_int(value, 0, MAX_COUNT)
        if not eq or not name.strip() or budget is None:
            raise UsageError(f"--class-budget must be CLASS=N with N from 0 to {MAX_COUNT}, "
                             f"got {item[:80]!r}", hint="for example --class-budget concurrent=2")
        budgets[name.strip()] = budget
    return budgets


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise UsageError(f"unknown lease mode {mode!r}", hint="use exclusive or shared")


def effective_lane(lane: str, kind: str) -> str:
    """The lane asked for: ``--kind global`` with no lane means the lane named global."""
    return "global" if not lane.strip() and kind.strip().casefold() == "global" else lane


def arbitrate(config: SubstrateConfig, *, lane: str = "", kind: str = "",
              tree: Sequence[str] = (), leases: Sequence[Lease] | None = None,
              force: bool = False, mode: str = "exclusive",
              class_budget: Sequence[str] = ()) -> Decision:
    """May this lane be taken now? (``dos arbitrate``) ``leases``, when given, replaces
    the store's live set. Nothing is written; an unreadable store refuses."""
    from dos.admission._lease_read import live_leases, resolved_tree
    from dos.admission.arbiter import Decision
    from dos.admission.arbiter import arbitrate as decide
    from dos.admission.lease import LeaseRequest
    from dos.verdicts.admission import ArbitrateToken

    _check_mode(mode)
    budgets = _budgets(class_budget)
    lane = effective_lane(lane, kind)
    asked = LeaseRequest(lane=lane, tree=tuple(tree), mode=mode, force=force)
    request = LeaseRequest(lane=lane, tree=resolved_tree(asked, config), mode=mode, force=force)
    try:
        live = list(leases) if leases is not None else list(live_leases(config))
    except StoreBusyError:
        raise
    except StoreError as exc:
        return Decision(ArbitrateToken.STORE_UNREADABLE, lane=lane, mode=mode,
                        reason_class="STORE_UNREADABLE", reason=(
                            f"the lease store cannot be read ({exc.message}); admission "
                            "refuses rather than guess who holds what"))
    return decide(request, live, config, class_budgets=budgets)


def arbitrate_json(decision: Decision, config: SubstrateConfig, *,
                   explain: bool = False) -> ArbitrateJSON:
    """The JSON answer for ``decision`` (with ``interpretation`` when ``explain``)."""
    payload: dict[str, Any] = decision.to_dict()
    if explain:
        from dos.api.explain import interpretation

        payload["interpretation"] = interpretation(decision, config)
    return cast("ArbitrateJSON", with_schema(payload, "arbitrate"))


def acquire(config: SubstrateConfig, *, owner: str = "", lane: str = "", kind: str = "",
            tree: Sequence[str] = (), mode: str = "exclusive", ttl_seconds: float = 300.0,
            run_id: str | None = None, loop_ts: str = "", pid: int | None = None,
            host_id: str | None = None, leases: Sequence[Lease] = (),
            start_sha: str | None = None, retries: int = 0,
            retry_interval: float = 0.2) -> LeaseResult:
    """Decide and take a lease in one transaction (``dos lease-lane acquire``).

    ``leases`` count as live besides the store's. A store still locked after its busy
    timeout is tried ``retries`` more times, ``retry_interval`` seconds apart; a store
    that cannot serve raises :class:`StoreError` (see :func:`store_failure`)."""
    from dos.admission import lane_lease
    from dos.admission.lease import LeaseRequest

    _check_mode(mode)
    if retries < 0 or not retry_interval >= 0:
        raise UsageError("--retries and --retry-interval must be 0 or more",
                         hint="for example --retries 5 --retry-interval 0.2")
    lane = effective_lane(lane, kind)
    if lane.strip():
        declared_lane(config, lane)
    run = run_id if run_id is not None else (
        os.environ.get("CID_RUN_ID") or os.environ.get("DISPATCH_RUN_ID") or "")
    if start_sha:
        from dos.git.progress import resolve_commit

        start_sha = resolve_commit(config.root, start_sha, what="--start-sha")
    request = LeaseRequest(lane=lane, tree=tuple(tree), mode=mode, owner=owner)
    for attempt in range(retries + 1):
        try:
            return lane_lease.acquire(config, request, owner=owner, ttl_s=ttl_seconds,
                                      run_id=run, loop_ts=loop_ts, host_id=host_id,
                                      pid=pid if pid is not None else 0,
                                      extra_leases=leases, start_sha=start_sha)
        except StoreBusyError:
            if attempt == retries:
                raise
            time.sleep(retry_interval)
    raise AssertionError("unreachable: the last attempt returns or raises")


def acquire_token(result: LeaseResult) -> LeaseLaneToken:
    from dos.verdicts.lease_lane import LeaseLaneToken

    return LeaseLaneToken.ACQUIRE if result.acquired else LeaseLaneToken.REFUSE


def acquire_json(result: LeaseResult) -> AcquireJSON:
    return cast("AcquireJSON", with_schema(result.to_dict(), "lease-lane"))


@struct
class StoreFailure:
    """An acquire the store could not serve: busy (75) or unreadable (74)."""

    token: LeaseLaneToken
    lane: str
    reason: str


def store_failure(exc: StoreError, lane: str) -> StoreFailure:
    from dos.verdicts.lease_lane import LeaseLaneToken

    token = LeaseLaneToken.STORE_BUSY if isinstance(exc, StoreBusyError) \
        else LeaseLaneToken.STORE_UNREADABLE
    return StoreFailure(token, lane, exc.message)


def store_failure_json(failure: StoreFailure) -> StoreFailureJSON:
    return cast("StoreFailureJSON", with_schema(
        {"outcome": failure.token.value, "lane": failure.lane, "reason": failure.reason,
         "reason_class": failure.token.value, "journaled": False}, "lease-lane"))


@struct
class LeaseAction:
    """A lease-lane step other than acquire: what it did and whether it did it."""

    action: str
    done: LeaseDone
    ok: bool

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def release(config: SubstrateConfig, *, owner: str = "", lane: str = "",
            lease_id: int | None = None, loop_ts: str = "", unit: str | None = None,
            outcome: str | None = None) -> LeaseAction:
    """End the holder's lease; only its holder may (``dos lease-lane release``). With
    ``unit`` and ``outcome``, the holder's attempt at the unit is recorded with it."""
    from dos.admission import lane_lease

    attempt = None
    if unit is not None or outcome is not None:
        from dos.api.attempts import OUTCOMES, check_unit

        if unit is None or outcome not in OUTCOMES:
            raise UsageError("--outcome and --unit go together, and the outcome is one of "
                             f"{', '.join(OUTCOMES)}",
                             hint="e.g. --outcome shipped --unit AUTH2")
        attempt = (check_unit(unit, flag="--unit"), str(outcome))
    done = lane_lease.release(config, lane=lane, owner=owner, lease_id=lease_id,
                              loop_ts=loop_ts, attempt=attempt)
    return LeaseAction("release", done, done.ok)  # "already released" is exit 0 too


def heartbeat(config: SubstrateConfig, *, owner: str = "", lane: str = "",
              lease_id: int | None = None, loop_ts: str = "",
              coalesce_within_s: float = 0.0) -> LeaseAction:
    """Renew the holder's live lease (``dos lease-lane heartbeat``)."""
    from dos.admission import lane_lease

    done = lane_lease.heartbeat(config, lane=lane, owner=owner, lease_id=lease_id,
                                loop_ts=loop_ts, coalesce_within_s=coalesce_within_s)
    return LeaseAction("heartbeat", done, done.beat)


def spawn(config: SubstrateConfig, *, lane: str, owner: str = "", loop_ts: str = "",
          run_id: str | None = None, reason: str = "") -> LeaseAction:
    """Record that a worker is meant to start; grants nothing (``dos lease-lane spawn``)."""
    from dos.admission import lane_lease

    if lane.strip():
        lane = declared_lane(config, lane)
    done = lane_lease.spawn(config, lane=lane, owner=owner, loop_ts=loop_ts,
                            run_id=run_id or "", reason=reason)
    return LeaseAction("spawn", done, done.recorded)


def reap(config: SubstrateConfig, *, lease_id: int | None = None, grace_seconds: float = 0.0,
         force: bool = False, owner: str = "", reason: str = "") -> LeaseAction:
    """End leases whose TTL has passed, or one lease (``dos lease-lane reap``)."""
    from dos.admission import lane_lease

    done = lane_lease.reap(config, lease_id=lease_id, grace_s=grace_seconds, force=force,
                           owner=owner, reason=reason)
    return LeaseAction("reap", done, not done.reason)


def lease_action_json(action: LeaseAction) -> LeaseActionJSON:
    return cast("LeaseActionJSON", with_schema(action.done.to_dict(), "lease-lane"))


def live(config: SubstrateConfig) -> list[Lease]:
    """The leases live now, by the store's clock (``dos lease-lane live``)."""
    from dos.admission.lane_lease import live_leases

    return list(live_leases(config))


def live_json(leases: Sequence[Lease]) -> list[LeaseJSON]:
    return cast("list[LeaseJSON]", with_schema([lease.to_dict() for lease in leases],
                                             "lease-lane"))


def halt(config: SubstrateConfig, *, handle: str, lane: str = "", loop_ts: str = "",
         owner: str = "", reason: str = "", run_id: str = "", command: str | None = None,
         resumable: bool = False, resume_sha: str = "") -> HaltResult:
    """Record a decision to stop a run and the command proposed for it (``dos halt``);
    nothing is signalled."""
    from dos.admission.lane_lease import halt as record_halt

    if lane.strip():
        declared_lane(config, lane)
    return record_halt(config, handle=handle, lane=lane, loop_ts=loop_ts, owner=owner,
                       reason=reason, run_id=run_id, command=command, resumable=resumable,
                       resume_sha=resume_sha)


def halt_json(result: HaltResult) -> HaltJSON:
    return cast("HaltJSON", with_schema(result.to_dict(), "halt"))


if not TYPE_CHECKING:
    from dos.api._shapes import shapes_from

    __getattr__ = shapes_from(__name__, "dos.api.admission_json")
