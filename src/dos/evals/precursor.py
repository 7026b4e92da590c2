"""Precursor harness: replayed calls labelled "skipped its lookup" or not, each judged by
the live classifier (:mod:`dos.gates.precursor`) under the workspace's ``[precursor]``.

A case "fires" when the classifier answers MISSING_PRECURSOR. A fire on a call whose
lookup did run (under a name the grammar does not know) or on a call that needed no
lookup is off-target; the bar is at least as many caught skips as off-target fires,
and a tie meets it. A call labelled not mutating is never gated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dos.errors import UsageError
from dos.evals.cases import Case, rate
from dos.evals.report import Bar, Misses, judge_bar, rounded
from dos.gates.precursor import PrecursorPolicy, PrecursorToken, classify
from dos.structs import field, struct

__all__ = ["KEYS", "KNOWN", "PrecursorTally", "evaluate", "verdict_of"]

KEYS = ("tool", "prior", "precursor_required", "precursor_actually_fired")
KNOWN = (*KEYS, "is_mutating", "mattered_to_score", "label")
_MAX_PRIOR = 10_000


def _prior(case: Case) -> list[str]:
    prior = case.raw.get("prior")
    if not isinstance(prior, list) or not all(isinstance(name, str) and len(name) <= 200
                                              for name in prior):
        raise UsageError(f"{case.where}: 'prior' must be a list of prior tool names",
                         hint='e.g. "prior": ["get_ticket"] (each name a string)')
    if len(prior) > _MAX_PRIOR:
        raise UsageError(f"{case.where}: 'prior' lists over {_MAX_PRIOR} calls",
                         hint="keep the calls of one session, most recent last")
    return prior


def verdict_of(case: Case, policy: PrecursorPolicy) -> PrecursorToken:
    """The live classifier's answer for one case (a non-mutating call is never gated)."""
    prior, tool = _prior(case), case.text("tool", limit=200)
    if "is_mutating" in case.raw and not case.label("is_mutating"):
        return PrecursorToken.NOT_GATED
    return classify(prior, tool, policy).token


@struct(frozen=False)
class PrecursorTally:
    """Counters only: the cases themselves are never kept."""

    n: int = 0
    real_skip: int = 0
    correctly_sequenced: int = 0
    refuted: int = 0
    refuted_skip: int = 0
    refuted_fired: int = 0
    refuted_unrequired: int = 0
    refuted_skip_mattered: int = 0
    misses: Misses = field(default_factory=Misses)

    @property
    def off_target(self) -> int:
        return self.refuted_fired + self.refuted_unrequired

    def add(self, case: Case, token: PrecursorToken) -> None:
        required, ran = case.label("precursor_required"), case.label("precursor_actually_fired")
        mattered = "mattered_to_score" in case.raw and case.label("mattered_to_score")
        label = case.text("label", limit=200)
        skip, hit = required and not ran, token is PrecursorToken.MISSING_PRECURSOR
        self.n += 1
        self.real_skip += skip
        self.correctly_sequenced += required and ran
        if hit:
            self.refuted += 1
            self.refuted_skip += skip
            self.refuted_fired += required and ran
            self.refuted_unrequired += not required
            self.refuted_skip_mattered += skip and mattered
        if hit != skip:
            kind = ("skipped its lookup, not caught" if skip else
                    "refuted a sequenced call" if required else
                    "refuted a call that needs no lookup")
            self.misses.add(case.where, kind, label)

    @property
    def net_positive(self) -> bool:
        return self.refuted_skip >= self.off_target

    def bar(self, min_rate: float | None) -> Bar:
        """Caught skips at least the off-target fires (a tie meets it); the recall at
        least ``min_rate`` when given."""
        return judge_bar(dangerous_ok=self.net_positive,
                         headline=rate(self.refuted_skip, self.real_skip), min_rate=min_rate)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n,
                "grid": {"real_skip": self.real_skip,
                         "correctly_sequenced": self.correctly_sequenced},
                "firing": {"refuted": self.refuted, "refuted_skip": self.refuted_skip,
                           "refuted_fired": self.refuted_fired,
                           "refuted_unrequired": self.refuted_unrequired,
                           "off_target": self.off_target,
                           "refuted_skip_mattered": self.refuted_skip_mattered},
                "rates": {key: rounded(value) for key, value in (
                    ("missed_precursor_recall", rate(self.refuted_skip, self.real_skip)),
                    ("false_refute_rate", rate(self.refuted_fired, self.correctly_sequenced)),
                    ("fire_precision", rate(self.refuted_skip, self.refuted)),
                    ("mattered_recall", rate(self.refuted_skip_mattered, self.real_skip)))},
                "net_positive": self.net_positive,
                "misses": self.misses.to_dict()}


def evaluate(cases: Iterable[Case], policy: PrecursorPolicy) -> PrecursorTally:
    tally = PrecursorTally()
    for case in cases:
        tally.add(case, verdict_of(case, policy))
    return tally
