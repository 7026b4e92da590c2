"""Label one trajectory for a training set from a claim bit and a witness.

Pure. Never mint a positive nobody accountable saw: agent-authored witnesses abstain,
and with ``require_witnessed`` so do caller-claimed ones. A non-forgeable refutation
poisons the positive (it becomes the dispreferred side of a pair).
"""

from __future__ import annotations

from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.gates import RewardToken, Rung

__all__ = ["WITNESS_SAYS", "RewardEvidence", "RewardPolicy", "RewardVerdict", "classify"]

WITNESS_SAYS = ("confirm", "refute", "none")


@struct
class RewardPolicy:
    require_witnessed: bool = False


@struct
class RewardEvidence:
    claim_present: bool
    witness: str  # confirm | refute | none
    rung: Rung
    narrated: str = ""

    def __post_init__(self) -> None:
        if self.witness not in WITNESS_SAYS:
            raise UsageError(f"witness {self.witness!r} is not confirm, refute or none",
                             hint="pass --witness confirm|refute|none")


@struct
class RewardVerdict:
    verdict: RewardToken
    reason: str
    evidence: RewardEvidence

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        poison = self.verdict is RewardToken.REJECT_POISON
        return {"verdict": self.verdict.value, "accept": self.verdict is RewardToken.ACCEPT,
                "poison": poison, "dispreferred": poison, "claim_present": ev.claim_present,
                "reason": self.reason, "witness": ev.witness, "rung": ev.rung.value,
                "accountability": ev.rung.value, "narrated": ev.narrated}


def classify(evidence: RewardEvidence, policy: RewardPolicy | None = None) -> RewardVerdict:
    """NO_CLAIM, ABSTAIN, ACCEPT or REJECT_POISON; the first matching rung wins."""
    pol = policy or RewardPolicy()
    token, reason = _ladder(evidence, pol)
    return RewardVerdict(token, f"{reason} [{evidence.rung.value}]", evidence)


def _ladder(ev: RewardEvidence, pol: RewardPolicy) -> tuple[RewardToken, str]:
    if not ev.claim_present:
        return RewardToken.NO_CLAIM, ("no checkable effect claimed — nothing to witness "
                                      "(abstain, never invent)")
    if ev.rung is Rung.AGENT_AUTHORED:
        return RewardToken.ABSTAIN, ("present claim but the witness is agent-authored "
                                     "(forgeable) — abstain (never mint a positive unverified)")
    if pol.require_witnessed and ev.rung is Rung.CALLER_CLAIMED:
        return RewardToken.ABSTAIN, ("present claim but the witness is only caller-claimed and "
                                     "the policy requires one dos ran (--witness-run) — abstain")
    if ev.witness == "none":
        return RewardToken.ABSTAIN, ("present claim but no accountable witness — abstain "
                                     "(never mint a positive unverified)")
    if ev.witness == "refute":
        return RewardToken.REJECT_POISON, ("present claim a non-forgeable witness REFUTED — "
                                           "POISON positive purged (dispreferred in a DPO pair)")
    return RewardToken.ACCEPT, "witnessed claim — accepted into the positive reward set"
