"""The ``--json`` shapes of :mod:`dos.api.admission`, for type checkers and API users: loaded
only when asked for, so the verbs do not import ``typing`` to start."""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    'AcquireJSON',
    'ArbitrateJSON',
    'HaltJSON',
    'HeartbeatJSON',
    'LeaseActionJSON',
    'LeaseJSON',
    'ReapJSON',
    'ReleaseJSON',
    'SpawnJSON',
    'StoreFailureJSON',
]


class ArbitrateJSON(TypedDict, total=False):
    """``dos arbitrate --json``: the arbiter's decision."""

    outcome: str
    lane: str
    lane_kind: str
    tree: list[str]
    auto_picked: bool
    reason: str
    free_clusters: list[str]
    pick_count: int | None
    reason_class: str
    exclusive: bool
    mode: str
    blockers: list[int]
    interpretation: str
    schema: dict[str, Any]


class AcquireJSON(ArbitrateJSON, total=False):
    """``dos lease-lane acquire --json``: the decision and the lease it granted."""

    journaled: bool
    owner: str
    seq: int
    lease_id: int | None
    loop_ts: str
    ttl_ms: int
    expires_at_ms: int
    run_id: str


class StoreFailureJSON(TypedDict):
    """``dos lease-lane acquire --json`` when the store could not serve it."""

    outcome: str
    lane: str
    reason: str
    reason_class: str
    journaled: bool
    schema: dict[str, Any]


class LeaseJSON(TypedDict, total=False):
    """One lease (``Lease.to_dict``), as ``lease-lane live`` and ``journal replay`` list it."""

    lease_id: int
    lane: str
    tree: list[str]
    holder: str
    exclusive_lane: bool
    mode: str
    host_id: str
    pid: int | None
    run_id: str
    loop_ts: str
    acquired_at_ms: int
    renewed_at_ms: int
    ttl_ms: int
    released_at_ms: int | None
    release_kind: str | None
    start_sha: str | None
    schema: dict[str, Any]


class ReleaseJSON(TypedDict, total=False):
    released: bool
    lane: str
    owner: str
    lease_id: int | None
    reason: str
    attempt: dict[str, Any]
    schema: dict[str, Any]


class HeartbeatJSON(TypedDict, total=False):
    beat: bool
    lane: str
    owner: str
    reason: str
    lease_id: int | None
    expires_at_ms: int
    schema: dict[str, Any]


class SpawnJSON(TypedDict, total=False):
    holder: str
    lane: str
    loop_ts: str
    recorded: bool
    seq: int
    run_id: str
    schema: dict[str, Any]


class ReapJSON(TypedDict, total=False):
    reaped: list[dict[str, Any]]
    reason: str
    schema: dict[str, Any]


class HaltJSON(TypedDict, total=False):
    """``dos halt --json``: the recorded halt and the command proposed for it."""

    command: str | None
    handle: str
    lane: str
    loop_ts: str
    recorded: bool
    lease_id: int | None
    seq: int
    run_id: str
    suspended: bool
    suspend_note: str
    schema: dict[str, Any]


LeaseActionJSON = ReleaseJSON | HeartbeatJSON | SpawnJSON | ReapJSON
