"""The ``operator`` judge: a person's recorded decision, read as a stance. The claim's
text is the decision word; no I/O."""

from __future__ import annotations

from typing import Any

from dos.judges.base import Claim, JudgeVerdict, Stance

__all__ = ["OperatorJudge"]

_DECISIONS = {"accept-recommended": Stance.AGREE, "accept": Stance.AGREE,
              "escalate": Stance.DISAGREE, "reject": Stance.DISAGREE,
              "defer": Stance.ABSTAIN}


class OperatorJudge:
    """``accept``/``accept-recommended`` agree, ``reject``/``escalate`` disagree,
    ``defer`` and anything else abstain."""

    name = "operator"

    def judge(self, claim: Claim, config: Any) -> JudgeVerdict:  # noqa: ARG002 - the seam
        decision = claim.claim_text.strip().lower()
        stance = _DECISIONS.get(decision)
        if stance is None:
            return JudgeVerdict(Stance.ABSTAIN, f"{decision[:40]!r} is not an operator "
                                "decision (accept, reject, escalate, defer)")
        return JudgeVerdict(stance, f"the operator decided {decision}",
                            (f"operator: {decision}",))
