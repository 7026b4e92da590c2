"""The ``--json`` shapes of :mod:`dos.api.temporal`, for type checkers and API users: loaded
only when asked for, so the verbs do not import ``typing`` to start."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

__all__ = ['LivenessJSON', 'StatusJSON', 'TraceJSON']


class LivenessJSON(TypedDict):
    """``dos liveness --json``: the run, the verdict, its evidence and the policy it was
    judged by."""

    run_id: str
    verdict: str
    reason: str
    evidence: dict[str, Any]
    policy: dict[str, Any]
    schema: dict[str, Any]


class StatusJSON(TypedDict):
    """``dos status --json``: liveness, the steps git confirms, the run's lease."""

    run_id: str
    verdict: str
    liveness: dict[str, Any]
    progress: dict[str, Any]
    lease: dict[str, Any] | None
    lease_live: bool
    region: list[str]
    schema: dict[str, Any]


class TraceJSON(TypedDict):
    """``dos trace --json``: one run's spine, leases, journal records and commits."""

    run_id: str
    found: bool
    spine: dict[str, Any]
    leases: list[dict[str, Any]]
    journal: list[dict[str, Any]]
    git: dict[str, Any]
    schema: NotRequired[dict[str, Any]]
