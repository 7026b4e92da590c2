"""``dos pickable``: may this unit be offered to a worker now, and if not, the one reason.

Pure. The facts arrive typed (:class:`PickState`); parsing the caller's JSON, and
reading the unit's own cooldown from the store, happen at the edge. The first hold on
the ladder wins.
"""

from __future__ import annotations

from typing import Any

from dos.structs import struct
from dos.verdicts.picker import PickableToken

__all__ = ["FLAGS", "PickState", "PickVerdict", "classify"]

# The boolean facts, in ladder order, with the hold each one means.
FLAGS: tuple[tuple[str, PickableToken], ...] = (
    ("shipped", PickableToken.SHIPPED),
    ("unparseable", PickableToken.UNPARSEABLE),
    ("in_flight", PickableToken.IN_FLIGHT),
    ("soft_claimed_elsewhere", PickableToken.SOFT_CLAIMED_ELSEWHERE),
    ("stale_claim", PickableToken.STALE_CLAIM),
)
_LATE_FLAGS: tuple[tuple[str, PickableToken], ...] = (
    ("operator_gated", PickableToken.OPERATOR_GATED),
    ("soak_open", PickableToken.SOAK_OPEN),
    ("dependency_unmet", PickableToken.DEPENDENCY_UNMET),
)

_EVIDENCE = {
    PickableToken.SHIPPED: "git already shows this unit shipped — nothing to dispatch",
    PickableToken.UNPARSEABLE: "the unit's plan entry could not be read — fix the plan "
                               "document before dispatching it",
    PickableToken.IN_FLIGHT: "a worker already holds this unit — wait for it to land or be "
                             "reaped",
    PickableToken.SOFT_CLAIMED_ELSEWHERE: "another picker has claimed this unit — pick "
                                          "another one",
    PickableToken.STALE_CLAIM: "a stale claim still names this unit — release or reap the "
                               "claim first",
    PickableToken.DRAFT_CLASS: "the plan is a DRAFT — promote it before dispatching its units",
    PickableToken.OPERATOR_GATED: "an operator decision gates this unit — answer the "
                                  "decision first",
    PickableToken.SOAK_OPEN: "a soak window is still open — wait for the soak to close",
    PickableToken.DEPENDENCY_UNMET: "a unit it depends on has not shipped — ship the "
                                    "dependency first",
}


@struct
class PickState:
    """What the host gathered about one unit (absent facts are false)."""

    shipped: bool = False
    unparseable: bool = False
    in_flight: bool = False
    soft_claimed_elsewhere: bool = False
    stale_claim: bool = False
    plan_class: str = ""
    operator_gated: bool = False
    soak_open: bool = False
    dependency_unmet: bool = False
    cooldown_until_ms: int | None = None


@struct
class PickVerdict:
    token: PickableToken
    unit: str
    evidence: str
    cooldown_until_ms: int | None = None
    cooldown_source: str = ""  # state | store | state+store

    @property
    def held(self) -> bool:
        return self.token is not PickableToken.OFFERABLE

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.token.value, "held": self.held,
                "reason": self.token.value if self.held else None,
                "evidence": self.evidence,
                "redispatch_invariant": self.token.redispatch_invariant,
                "unit": self.unit or None, "cooldown_until_ms": self.cooldown_until_ms,
                "cooldown_source": self.cooldown_source or None}


def classify(unit: str, state: PickState, now_ms: int, *, stored_until_ms: int | None = None
             ) -> PickVerdict:
    """OFFERABLE, or HELD by the first reason on the ladder. ``stored_until_ms`` is the
    unit's own cooldown from its recorded attempts; the later of it and the state's
    ``cooldown_until_ms`` holds."""
    for name, token in FLAGS:
        if getattr(state, name):
            return PickVerdict(token, unit, _EVIDENCE[token])
    if state.plan_class.strip().upper() == "DRAFT":
        return PickVerdict(PickableToken.DRAFT_CLASS, unit,
                           _EVIDENCE[PickableToken.DRAFT_CLASS])
    for name, token in _LATE_FLAGS:
        if getattr(state, name):
            return PickVerdict(token, unit, _EVIDENCE[token])
    walls = {"state": state.cooldown_until_ms, "store": stored_until_ms}
    live = {source: wall for source, wall in walls.items() if wall is not None and now_ms < wall}
    if live:
        until = max(live.values())
        return PickVerdict(PickableToken.COOLDOWN, unit,
                           f"per-pick cooldown active until {until}ms (now {now_ms}ms) — the "
                           "window has not elapsed", until, "+".join(sorted(live)))
    return PickVerdict(PickableToken.OFFERABLE, unit, f"{unit or 'unit'} may be picked up")
