"""``dos next``: which remaining unit a worker should take now.

Pure. The units come in enumerated (remaining leaves, document order); what holds one
(a live unit lease, a cooldown) and how fresh each is come in from the store, read in
the transaction that will grant the lease. Never-attempted units go first, then the
least recently attempted; document order breaks ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dos.structs import struct

__all__ = ["UNIT_LEASE_PREFIX", "Candidate", "Ranked", "because", "rank", "unit_marker"]

# A lease `dos next` grants carries this in its loop_ts: the unit it was taken for.
UNIT_LEASE_PREFIX = "unit:"


@struct
class Candidate:
    """A remaining unit a worker could take: git has not seen it ship."""

    plan: str
    unit: str
    doc: str
    line: int

    @property
    def key(self) -> str:
        """How attempts name it: the unit id alone."""
        return self.unit.casefold()

    @property
    def lease_key(self) -> str:
        """How a lease names it: plan and unit (two plans may both have a P1)."""
        return f"{self.plan}/{self.unit}".casefold()


def unit_marker(candidate: Candidate) -> str:
    """The loop_ts of the lease taken for ``candidate``."""
    return f"{UNIT_LEASE_PREFIX}{candidate.plan}/{candidate.unit}"


@struct
class Ranked:
    candidate: Candidate
    held: str  # "" (free), LEASED or COOLDOWN
    detail: str
    attempts: int = 0
    last_attempt_ms: int = 0

    @property
    def freshness(self) -> str:
        return "ATTEMPTED" if self.attempts else "NEVER_ATTEMPTED"

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.candidate.unit, "plan": self.candidate.plan,
                "doc": self.candidate.doc, "held": self.held or None, "detail": self.detail,
                "freshness": self.freshness, "attempts": self.attempts,
                "last_attempt_ms": self.last_attempt_ms or None}


def rank(candidates: Sequence[Candidate], *, leased: Mapping[str, str],
         last: Mapping[str, tuple[int, int]], cooling: Mapping[str, int]) -> list[Ranked]:
    """Free units first (freshest first, then document order), then held ones.
    ``leased``: lease key → holder; ``last``: unit key → (attempts, last attempt ms);
    ``cooling``: unit key → the ms its cooldown ends."""
    ranked = []
    for order, candidate in enumerate(candidates):
        count, at = last.get(candidate.key, (0, 0))
        if candidate.lease_key in leased:
            held, detail = "LEASED", f"leased to {leased[candidate.lease_key]}"
        elif candidate.key in cooling:
            held, detail = "COOLDOWN", f"attempted at {at} ms; cooling down until " \
                                       f"{cooling[candidate.key]} ms"
        else:
            held, detail = "", "never attempted" if not count else \
                f"attempted {count}x, last at {at} ms"
        ranked.append((bool(held), (1, at) if count else (0, 0), order,
                       Ranked(candidate, held, detail, count, at)))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


def because(ranking: Sequence[Ranked]) -> str:
    """Why nothing is free: every remaining unit LEASED, COOLING, or both (HELD)."""
    kinds = {r.held for r in ranking}
    if kinds == {"LEASED"}:
        return "ALL_LEASED"
    if kinds == {"COOLDOWN"}:
        return "ALL_COOLING"
    return "ALL_HELD"
