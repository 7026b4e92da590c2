"""``dos reconcile``: join "the agent says done" with what the oracle can show.

Pure. VERIFIED needs a ship at or above the asked evidence grade; an empty commit, a
reverted one, or a subject alone when ``artifact`` is asked are not VERIFIED, whatever
the agent claims. A bit the caller passes (``--oracle-shipped``) is reported as the
caller's word, never as git's.
"""

from __future__ import annotations

from typing import Any

from dos.structs import struct
from dos.truth.ship_verdict import ShipVerdict, grade_at_least
from dos.verdicts.picker import ReconcileToken

__all__ = ["Reconciliation", "classify"]


@struct
class Reconciliation:
    state: ReconcileToken
    unit: str
    claimed: bool
    oracle_shipped: bool
    oracle_source: str  # git | caller
    grade: str
    min_grade: str
    sha: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "unit": self.unit, "claimed": self.claimed,
                "oracle_shipped": self.oracle_shipped, "oracle_source": self.oracle_source,
                "grade": self.grade, "min_grade": self.min_grade, "sha": self.sha or None,
                "keeps_in_residual": self.state is not ReconcileToken.VERIFIED,
                "flag": "QUIET_INCOMPLETE" if self.state is ReconcileToken.QUIET_INCOMPLETE
                else None, "reason": self.reason}


def _evidence(verdict: ShipVerdict | None, caller_bit: bool | None,
              min_grade: str) -> tuple[bool, str, str, str]:
    """(shipped enough, source, grade, why) from git's verdict or the caller's bit."""
    if verdict is None:
        said = "shipped" if caller_bit else "not shipped"
        return bool(caller_bit), "caller", "caller", f"the caller says {said} (git was not " \
                                                     "consulted)"
    sha = f" at {verdict.sha[:12]}" if verdict.sha else ""
    if not verdict.shipped:
        return False, "git", verdict.grade, f"git shows no ship (via {verdict.source}{sha})"
    if not grade_at_least(verdict.grade, min_grade):
        return False, "git", verdict.grade, (f"git's only evidence is of grade "
                                             f"'{verdict.grade}'{sha}, below the "
                                             f"'{min_grade}' asked for")
    return True, "git", verdict.grade, f"git shows it shipped (grade {verdict.grade}{sha})"


def classify(unit: str, *, claimed: bool, verdict: ShipVerdict | None = None,
             caller_bit: bool | None = None, min_grade: str = "none") -> Reconciliation:
    """VERIFIED, QUIET_INCOMPLETE (claimed, not shown) or HONEST_OPEN (neither).

    ``verdict`` is git's answer; without it ``caller_bit`` is the caller's."""
    shipped, source, grade, why = _evidence(verdict, caller_bit, min_grade)
    sha = verdict.sha if verdict is not None else ""
    if shipped:
        state = ReconcileToken.VERIFIED
        reason = f"{unit}: {why} — verified, it leaves the residual"
    elif claimed:
        state = ReconcileToken.QUIET_INCOMPLETE
        reason = (f"{unit} was CLAIMED done but {why} — a quiet failure; KEPT in the "
                  "residual, re-dispatch it")
    else:
        state = ReconcileToken.HONEST_OPEN
        reason = f"{unit} is not claimed and {why} — honest open work; it stays in the residual"
    return Reconciliation(state, unit, claimed, shipped, source, grade, min_grade, sha, reason)
