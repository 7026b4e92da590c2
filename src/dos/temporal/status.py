"""One fail-closed digest of a run: its liveness, its verified progress, its lease.

Pure. A step is verified only when git confirms it: a claimed step whose SHA is
not among the run's own commits stays unverified, whatever the claim says. The
digest exits on the liveness verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from dos.admission.lease import Lease
from dos.structs import struct
from dos.temporal.liveness import LivenessVerdict
from dos.verdicts.temporal import StatusToken

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Claim", "StatusDigest", "Step", "Witnessed", "digest"]

_MIN_PREFIX = 7


@struct
class Witnessed:
    """A commit git reports on the run's ref since its start SHA."""

    sha: str
    subject: str = ""


@struct
class Claim:
    """A step the run says it finished, at ``sha``."""

    step_id: str
    sha: str = ""


@struct
class Step:
    step_id: str
    sha: str
    subject: str
    verified: bool
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "sha": self.sha, "subject": self.subject,
                "verified": self.verified, "note": self.note}


def _same_commit(claimed: str, full: str) -> bool:
    claimed = claimed.strip().lower()
    return len(claimed) >= _MIN_PREFIX and full.lower().startswith(claimed)


@struct
class StatusDigest:
    run_id: str
    liveness: LivenessVerdict
    steps: tuple[Step, ...]
    lease: Lease | None
    commits_counted: bool
    lease_live: bool = False

    @property
    def token(self) -> StatusToken:
        return StatusToken[self.liveness.verdict.name]

    @property
    def verified(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.verified)

    @property
    def unverified(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.verified)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1, "run_id": self.run_id, "verdict": self.token.value,
            "liveness": self.liveness.to_dict(),
            "progress": {"verified_count": len(self.verified),
                         "unverified_count": len(self.unverified),
                         "commits_counted": self.commits_counted,
                         "verified_steps": [step.to_dict() for step in self.verified],
                         "unverified_steps": [step.to_dict() for step in self.unverified]},
            "lease": self.lease.to_dict() if self.lease else None,
            "lease_live": self.lease_live,
            "region": list(self.lease.tree) if self.lease and self.lease_live else [],
        }


def digest(run_id: str, liveness: LivenessVerdict, *, commits: Sequence[Witnessed],
           claims: Sequence[Claim] = (), lease: Lease | None = None,
           lease_live: bool = False, commits_counted: bool = True) -> StatusDigest:
    """Join what git witnessed with what was claimed; only git's word verifies a step.

    ``commits_counted`` False means no start SHA was given, so git could confirm nothing.
    """
    steps: list[Step] = []
    matched: set[str] = set()
    for claim in claims:
        hit = next((c for c in commits if _same_commit(claim.sha, c.sha)), None)
        if hit is None:
            why = "no start SHA: git cannot confirm it" if not commits_counted else \
                "claimed, but not a commit on the run's ref since its start"
            steps.append(Step(claim.step_id, claim.sha, "", False, why))
        else:
            matched.add(hit.sha)
            steps.append(Step(claim.step_id, hit.sha, hit.subject, True, "git ancestry"))
    steps += [Step(c.sha[:12], c.sha, c.subject, True, "git ancestry")
              for c in reversed(commits) if c.sha not in matched]
    return StatusDigest(run_id=run_id, liveness=liveness, steps=tuple(steps), lease=lease,
                        commits_counted=commits_counted, lease_live=lease_live)
