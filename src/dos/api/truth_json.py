"""The ``--json`` shapes of :mod:`dos.api.truth`, for type checkers and API users: loaded
only when asked for, so the verbs do not import ``typing`` to start."""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = [
    'AuditJSON',
    'AuditSweepJSON',
    'CoverageJSON',
    'PlanJSON',
    'ResultJSON',
    'VerifyJSON',
]


class VerifyJSON(TypedDict, total=False):
    """``dos verify --json``: the verdict and its evidence."""

    plan: str
    phase: str
    shipped: bool
    source: str
    grade: str
    sha: str
    summary: str
    rung: str
    min_grade: str
    shallow: bool
    interpretation: str
    near_misses: list[dict[str, str]]
    schema: dict[str, Any]


class AuditJSON(TypedDict):
    """``dos commit-audit --json``: one object per commit, newest first."""

    sha: str
    verdict: str
    claim_kind: str
    witness: str
    reason: str
    source_files: list[str]
    test_files: list[str]
    ci_files: list[str]
    config_files: list[str]
    schema: dict[str, Any]


class AuditSweepJSON(TypedDict):
    """``dos commit-audit --sweep --json``: the counts and drift rate over a range."""

    commits: int
    checkable: int
    abstained: int
    witnessed: int
    unwitnessed: int
    drift_rate: float
    by_kind: dict[str, dict[str, int]]
    unwitnessed_shas: list[str]
    schema: dict[str, Any]


# ``dos verify-result --json``: the transcript's terminal state ("class" is a keyword).
ResultJSON = TypedDict("ResultJSON", {
    "state": str, "dead": bool, "reason": str, "class": str, "api_status": int | None,
    "envelope": dict[str, Any], "schema": dict[str, Any]})


class CoverageJSON(TypedDict):
    """``dos coverage --json``: the fold of one fan-out against its declared width."""

    state: str
    declared: int
    healthy: int
    dead: int
    unreadable: int
    unaccounted: int
    dead_classes: list[list[Any]]
    grounded: bool
    fraction: float | None
    quorum_met: bool | None
    reason: str
    prompt_line: str
    foldable: bool
    should_caveat: bool
    schema: dict[str, Any]


class PlanJSON(TypedDict):
    """``dos plan --json``: one frame of the board."""

    workspace: str
    now: str
    plan_source: str
    initialized: bool
    phases: list[dict[str, Any]]
    activity: list[dict[str, str]]
    summary: dict[str, int]
    schema: dict[str, Any]
