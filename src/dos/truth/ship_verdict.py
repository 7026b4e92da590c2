"""What the oracle answers (:class:`ShipVerdict`) and the facts it needs (:class:`ShipEvidence`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dos.structs import field, struct
from dos.truth.commits import Commit
from dos.truth.plan_source import PlanPhase
from dos.truth.registry import RegistryRow
from dos.truth.stamp import Stamp
from dos.verdicts.truth import ShipToken

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any, Protocol
else:
    Protocol = object  # a protocol is for the type checker; at run time a plain base

__all__ = ["GRADES", "ShipEvidence", "ShipVerdict", "grade_at_least"]

# weakest → strongest
GRADES = ("none", "subject", "artifact", "registry-verified")


@struct
class ShipVerdict:
    """The answer for one (plan, phase); ``source`` says which evidence decided it."""

    plan: str
    phase: str
    shipped: bool
    source: str
    grade: str = "none"
    sha: str = ""
    summary: str = ""
    rung: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def token(self) -> ShipToken:
        return ShipToken.SHIPPED if self.shipped else ShipToken.NOT_SHIPPED

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: empty optional fields are left out."""
        payload: dict[str, Any] = {"plan": self.plan, "phase": self.phase,
                                   "shipped": self.shipped, "source": self.source,
                                   "grade": self.grade}
        for key in ("sha", "summary", "rung"):
            if getattr(self, key):
                payload[key] = getattr(self, key)
        payload.update(self.extra)
        return payload


class ShipEvidence(Protocol):
    """The facts the oracle needs, gathered at the edge (git, files)."""

    ref: str

    def candidates(self, stamps: Sequence[Stamp]) -> Sequence[Commit]:
        """Commits of the ref's whole ancestry that may name a stamp, plus every revert;
        newest first."""

    def files(self, commits: Sequence[Commit]) -> Mapping[str, tuple[str, ...]]:
        """Files each commit changed against its first parent."""

    def registry(self) -> tuple[RegistryRow, ...]:
        """The run registry's rows."""

    def plan_phases(self) -> tuple[PlanPhase, ...]:
        """Every phase the plan documents declare."""

    def resolve(self, names: Sequence[str]) -> Mapping[str, str]:
        """``name → full sha`` for names that are commits in the repository."""

    def in_history(self, shas: Sequence[str]) -> set[str]:
        """Which full shas are ancestors of (or equal to) the ref."""

    def touching(self, paths: Sequence[str]) -> Sequence[tuple[Commit, tuple[str, ...]]]:
        """Non-merge commits of the ref's ancestry that touched ``paths``, newest first."""


def grade_at_least(grade: str, minimum: str) -> bool:
    """``grade`` is as strong as ``minimum`` (both from :data:`GRADES`)."""
    return GRADES.index(grade) >= GRADES.index(minimum)
