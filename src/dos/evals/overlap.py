"""Overlap harness: concurrent tree pairs labelled with whether they really collided,
each decided by the live arbiter (:func:`dos.admission.arbiter.arbitrate`).

The held tree is a live lease on one lane, the requested tree a request for another;
both lanes are concurrent and declare no tree, so an empty requested tree is refused
as the arbiter refuses it (an unknown blast radius), and an empty held tree blocks
everything, as a live lease with no tree does. The workspace's ``[overlap]`` policy
and ``ratio_max`` apply; class budgets and the self-modify guard do not (they are not
about overlap).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dos import structs
from dos.admission.arbiter import arbitrate
from dos.admission.lease import Lease, LeaseRequest
from dos.config import LaneTaxonomy, SubstrateConfig
from dos.errors import UsageError
from dos.evals.cases import Case, rate
from dos.evals.report import Bar, Misses, judge_bar, rounded
from dos.settings.policy import KNOWN_OVERLAP_POLICIES, OverlapSettings
from dos.structs import field, struct

__all__ = ["KEYS", "KNOWN", "OverlapTally", "admits", "evaluate", "pair_config"]

KEYS = ("tree_a", "tree_b", "collided")
KNOWN = (*KEYS, "label")
_REQUESTED, _HELD = "requested", "held"


def pair_config(config: SubstrateConfig, policy: str | None = None) -> SubstrateConfig:
    """``config``'s overlap settings (``policy`` replacing ``[overlap] policy``) over two
    concurrent lanes with no declared tree."""
    chosen = config.overlap.policy if policy is None else policy.strip().lower()
    if chosen not in KNOWN_OVERLAP_POLICIES:
        raise UsageError(f"unknown overlap policy {policy!r}; known: "
                         f"{', '.join(KNOWN_OVERLAP_POLICIES)}",
                         hint="pass --policy prefix or --policy strict")
    lanes = LaneTaxonomy(concurrent=(_REQUESTED, _HELD))
    return structs.replace(
        config, lanes=lanes, workspace=None, concurrency_classes=(),
        overlap=OverlapSettings(ratio_max=config.overlap.ratio_max, policy=chosen))


def admits(tree_a: Iterable[str], tree_b: Iterable[str], config: SubstrateConfig) -> bool:
    """Would the arbiter grant ``tree_a`` while ``tree_b`` is held? (``pair_config``)"""
    held = Lease(1, _HELD, tuple(tree_b), "eval-holder")
    request = LeaseRequest(lane=_REQUESTED, tree=tuple(tree_a), owner="eval-requester")
    return arbitrate(request, [held], config).acquired


@struct(frozen=False)
class OverlapTally:
    """Counters only: the cases themselves are never kept."""

    correct_admit: int = 0
    false_admit: int = 0
    correct_refuse: int = 0
    safe_forgone: int = 0
    misses: Misses = field(default_factory=Misses)

    @property
    def n(self) -> int:
        return self.correct_admit + self.false_admit + self.correct_refuse + self.safe_forgone

    def add(self, case: Case, admitted: bool, collided: bool) -> None:
        label = case.text("label", limit=200)
        if admitted and collided:
            self.false_admit += 1
            self.misses.add(case.where, "FALSE-ADMIT", label)
        elif admitted:
            self.correct_admit += 1
        elif collided:
            self.correct_refuse += 1
        else:
            self.safe_forgone += 1
            self.misses.add(case.where, "safe-forgone", label)

    def rates(self) -> dict[str, float]:
        admitted = self.correct_admit + self.false_admit
        collided = self.false_admit + self.correct_refuse
        safe = self.correct_admit + self.safe_forgone
        return {key: rounded(value) for key, value in (
            ("false_admit_rate", rate(self.false_admit, admitted)),
            ("collision_leak_rate", rate(self.false_admit, collided)),
            ("safe_forgone_rate", rate(self.safe_forgone, safe)),
            ("admit_rate", rate(admitted, self.n)),
            ("decisive_accuracy", rate(self.correct_admit + self.correct_refuse, self.n)))}

    def grid(self) -> dict[str, int]:
        return {"correct_admit": self.correct_admit, "false_admit": self.false_admit,
                "correct_refuse": self.correct_refuse, "safe_forgone": self.safe_forgone}

    def bar(self, min_rate: float | None) -> Bar:
        """No admitted pair collided; accuracy at least ``min_rate`` when given."""
        accuracy = rate(self.correct_admit + self.correct_refuse, self.n)
        return judge_bar(dangerous_ok=self.false_admit == 0, headline=accuracy,
                         min_rate=min_rate)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "grid": self.grid(), "rates": self.rates(),
                "misses": self.misses.to_dict()}


def _tree(case: Case, key: str) -> list[str]:
    value = case.raw[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UsageError(f"{case.where}: '{key}' must be a list of glob strings",
                         hint=f'write it as "{key}": ["src/**"]')
    return value


def evaluate(cases: Iterable[Case], config: SubstrateConfig) -> OverlapTally:
    """Every case through the arbiter; a tree the arbiter rejects names its line."""
    tally = OverlapTally()
    for case in cases:
        tree_a, tree_b = _tree(case, "tree_a"), _tree(case, "tree_b")
        collided = case.label("collided")
        try:
            admitted = admits(tree_a, tree_b, config)
        except UsageError as error:
            raise UsageError(f"{case.where}: {error.message}", hint=error.hint) from None
        tally.add(case, admitted, collided)
    return tally
