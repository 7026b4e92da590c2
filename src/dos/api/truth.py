"""Truth questions: did a phase ship?"""

from __future__ import annotations

import dataclasses
from typing import Any, TypedDict

from dos.config import SubstrateConfig
from dos.errors import GitError, UsageError
from dos.render import with_schema
from dos.truth.near_miss import NearMiss
from dos.truth.ship_verdict import GRADES, ShipVerdict, grade_at_least

__all__ = ["VerifyJSON", "check_names", "near_misses", "verify", "verify_json"]


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


def check_names(plan: str, phase: str) -> None:
    """PLAN and PHASE are both named (checked before the workspace is looked for)."""
    if not plan.strip() or not phase.strip():
        raise UsageError("PLAN and PHASE must not be empty",
                         hint="name both, e.g. `dos verify AUTH AUTH1`")


def _apply_min_grade(verdict: ShipVerdict, min_grade: str) -> ShipVerdict:
    if min_grade == "none":
        return verdict
    extra = {**verdict.extra, "min_grade": min_grade}
    if verdict.shipped and not grade_at_least(verdict.grade, min_grade):
        return dataclasses.replace(verdict, shipped=False, extra=extra)
    return dataclasses.replace(verdict, extra=extra)


def verify(config: SubstrateConfig, *, plan: str, phase: str, ref: str = "HEAD",
           min_grade: str = "none") -> ShipVerdict:
    """Did PHASE of PLAN ship in the history of ``ref``? (``dos verify``)"""
    check_names(plan, phase)
    if min_grade not in GRADES:
        raise UsageError(f"unknown grade {min_grade!r}", hint="one of " + ", ".join(GRADES))
    from dos.truth.oracle import verify as oracle_verify

    verdict = oracle_verify(plan, phase, config, ref=ref)
    _refuse_shallow_absence(verdict)
    return _apply_min_grade(verdict, min_grade)


# Not shipped because nothing was found: in a shallow clone that proves nothing.
_ABSENCE = ("none", "registry-unverified")


def _refuse_shallow_absence(verdict: ShipVerdict) -> None:
    if verdict.extra.get("shallow") and not verdict.shipped and verdict.source in _ABSENCE:
        raise GitError(
            f"{verdict.plan} {verdict.phase} is not in the history of this shallow clone, "
            "and a commit older than its boundary may ship it",
            hint="fetch the whole history with `git fetch --unshallow`, then verify again")


def near_misses(config: SubstrateConfig, verdict: ShipVerdict, *,
                ref: str = "HEAD") -> list[NearMiss]:
    """For a phase that did not ship: the commits whose subjects almost stamp it (wrong
    spelling, no separator, another plan), newest first, with why each did not count."""
    if verdict.shipped or verdict.source != "none":
        return []  # shipped, or a hit whose fate (revert, empty…) the verdict already says
    from dos.git import history
    from dos.truth.near_miss import loose_terms
    from dos.truth.near_miss import near_misses as find
    from dos.truth.stamp import PhaseQuery, compile_stamp

    stamp = compile_stamp(PhaseQuery(verdict.plan, verdict.phase), config.stamp)
    terms = loose_terms(stamp)
    if not terms:
        return []
    head = history.resolve_commit(config.root, ref)
    return find(stamp, history.scan_messages(config.root, head, terms))


def verify_json(verdict: ShipVerdict, *, explain: bool = False,
                misses: list[NearMiss] | None = None) -> VerifyJSON:
    """The JSON answer for ``verdict`` (with ``explain``: its interpretation and ``misses``)."""
    payload: dict[str, Any] = verdict.to_dict()
    if explain:
        from dos.truth.oracle import interpret

        payload["interpretation"] = interpret(verdict)
        payload["near_misses"] = [miss.to_dict() for miss in misses or ()]
    return with_schema(payload, "verify")  # type: ignore[no-any-return]
