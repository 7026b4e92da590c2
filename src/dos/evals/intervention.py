"""Intervention harness: does acting on the id-provenance gate help the task or hurt it?

There is no separate intervention ladder in dos: live, a hook script runs
``dos arg-provenance`` and its exit status becomes the intervention through the
hook-exit map (:mod:`dos.gates.hook_exit`, ``[hook_exit]`` plus ``--map``). Each case
goes down that same chain: its provenance verdict's exit code, classified by the map,
picks PASS, OBSERVE, WARN, BLOCK or DEFER. Each intervention has a fixed disruption
cost (``--cost`` changes one), never one scaled by the span of some ladder, so adding
an unrelated mapping cannot change a verdict. BLOCK and DEFER withhold the turn; a
withheld true catch that mattered and recovers scores 1 minus the cost, every other
intervention scores minus its cost, PASS scores 0.

A case written as the reference writes it (a ``confidence`` or a provenance-verdict
object) skips the map: the confidence policy picks its intervention, scored the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dos.errors import UsageError
from dos.evals.cases import Case, rate
from dos.evals.intervention_policy import ConfidencePolicy
from dos.evals.provenance_case import confidence_of
from dos.evals.report import Bar, Misses, judge_bar, rounded
from dos.gates.hook_exit import HookExitPolicy, classify
from dos.structs import field, struct
from dos.verdicts.gates import HookExitToken, ProvenanceToken

__all__ = ["KEYS", "KNOWN", "InterventionTally", "evaluate"]

KEYS = ("truly_minted", "mattered_to_score", "recovered_if_blocked", "recovered_if_deferred")
KNOWN = (*KEYS, "verdict", "confidence", "unsupported", "label")
_WITHHOLD = (HookExitToken.BLOCK, HookExitToken.DEFER)


@struct(frozen=False)
class InterventionTally:
    """Counters and the running sum of deltas: the cases themselves are never kept."""

    policy: HookExitPolicy
    costs: Mapping[HookExitToken, float]
    confidence: ConfidencePolicy
    by_confidence: int = 0
    true_relevant: int = 0
    true_irrelevant: int = 0
    false_flag: int = 0
    actions: dict[str, int] = field(default_factory=lambda: {t.value: 0 for t in HookExitToken})
    actuated_relevant: int = 0
    actuated_irrelevant: int = 0
    actuated_false_flag: int = 0
    recovered: int = 0
    delta_sum: float = 0.0
    misses: Misses = field(default_factory=Misses)

    @property
    def n(self) -> int:
        return self.true_relevant + self.true_irrelevant + self.false_flag

    @property
    def actuated(self) -> int:
        return self.actuated_relevant + self.actuated_irrelevant + self.actuated_false_flag

    def action(self, case: Case) -> HookExitToken:
        confidence = confidence_of(case)
        if confidence is not None:
            self.by_confidence += 1
            return self.confidence.choose(confidence)
        text = case.text("verdict", limit=40).strip().upper()
        if text not in ProvenanceToken.__members__:
            raise UsageError(f"{case.where}.verdict must be BELIEVE or UNSUPPORTED, got "
                             f"{text[:40]!r}", hint="the arg-provenance verdict of the call")
        return classify(ProvenanceToken[text].exit_code, self.policy).verdict

    def add(self, case: Case) -> None:
        action, minted = self.action(case), case.label("truly_minted")
        mattered = case.label("mattered_to_score")
        kind = "false_flag" if not minted else "true_relevant" if mattered else \
            "true_irrelevant"
        setattr(self, kind, getattr(self, kind) + 1)
        self.actions[action.value] += 1
        cost = self.costs[action] if action is not HookExitToken.PASS else 0.0
        if action not in _WITHHOLD:
            self.delta_sum -= cost
            return
        short = kind.removeprefix("true_")
        setattr(self, f"actuated_{short}", getattr(self, f"actuated_{short}") + 1)
        key = "recovered_if_deferred" if action is HookExitToken.DEFER else \
            "recovered_if_blocked"
        recovers = case.label(key) and kind == "true_relevant"
        self.recovered += recovers
        self.delta_sum += (1.0 if recovers else 0.0) - cost
        if not recovers:
            self.misses.add(case.where, f"{action.value} on {kind.replace('_', '-')}",
                            case.text("label", limit=200))

    @property
    def net_task_delta(self) -> float:
        return self.delta_sum / self.n if self.n else 0.0

    def bar(self, min_rate: float | None) -> Bar:
        """The mean delta is not negative (zero meets it); the disruption efficiency at
        least ``min_rate`` when given."""
        return judge_bar(dangerous_ok=self.net_task_delta >= 0.0,
                         headline=rate(self.recovered, self.actuated), min_rate=min_rate)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "net_task_delta": rounded(self.net_task_delta),
                "grid": {"true_relevant": self.true_relevant,
                         "true_irrelevant": self.true_irrelevant,
                         "false_flag": self.false_flag},
                "actions": dict(self.actions),
                "scored_by": {"confidence_policy": self.by_confidence,
                              "hook_exit_map": self.n - self.by_confidence},
                "actuation": {"actuated": self.actuated,
                              "informed_only": self.n - self.actuated,
                              "actuated_relevant": self.actuated_relevant,
                              "actuated_irrelevant": self.actuated_irrelevant,
                              "actuated_false_flag": self.actuated_false_flag,
                              "recovered": self.recovered},
                "rates": {key: rounded(value) for key, value in (
                    ("disruption_efficiency", rate(self.recovered, self.actuated)),
                    ("wasted_disruption_rate", rate(self.actuated_irrelevant
                                                    + self.actuated_false_flag, self.actuated)),
                    ("dangerous_cell_rate", rate(self.actuated_irrelevant,
                                                 self.true_irrelevant)),
                    ("coverage", rate(self.actuated_relevant, self.true_relevant)))},
                "net_harmful": self.net_task_delta < 0.0, "misses": self.misses.to_dict()}


def evaluate(cases: Iterable[Case], policy: HookExitPolicy,
             costs: Mapping[HookExitToken, float],
             confidence: ConfidencePolicy) -> InterventionTally:
    tally = InterventionTally(policy, costs, confidence)
    for case in cases:
        tally.add(case)
    return tally
