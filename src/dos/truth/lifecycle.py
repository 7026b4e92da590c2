"""One lifecycle tick: for each plan document, its class, the transition due, and what
holds it back.

Pure. A document's class is its ``class:`` line, else the first declared class. The
first declared transition out of that class whose trigger holds is due. It is held when
the veto class is on either side of it (the operator's class: the tick never moves a plan
into or out of it), while the plan cools down after its last class change, when it is
left to an operator (``auto = false``), when the judge does not agree, or once the
cycle's cap of moves is reached; otherwise it is ready. Documents are taken in path order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dos.settings.lifecycle import LifecycleSettings, Transition
from dos.structs import struct

__all__ = [
    "TRIGGER_RULES",
    "Ask",
    "PlanFacts",
    "PlanTick",
    "Tick",
    "claim_of",
    "classify",
    "due",
]

_HOUR_MS = 3_600_000
_SHOWN_UNITS = 50


@struct
class PlanFacts:
    """What was read about one plan document: its ``class:`` line as written, its units
    and the ones git says shipped (each with its evidence line), and the newest commit
    that changed its class line."""

    doc: str
    series: str
    declared_class: str
    units: tuple[str, ...]
    shipped: Mapping[str, str]
    last_change: tuple[str, int] | None = None

    @property
    def remaining(self) -> tuple[str, ...]:
        return tuple(unit for unit in self.units if unit not in self.shipped)


# trigger → whether it holds (the names are dos.settings.lifecycle.TRIGGERS')
TRIGGER_RULES: dict[str, Callable[[PlanFacts], bool]] = {
    "all_phases_shipped": lambda f: bool(f.units) and not f.remaining,
    "any_phase_shipped": lambda f: bool(f.shipped),
    "phases_open": lambda f: bool(f.remaining),
}


@struct
class PlanTick:
    """One document in the tick. ``state``: ready, held, steady (nothing due) or
    unknown_class (its ``class:`` line names no declared class)."""

    facts: PlanFacts
    current: str
    state: str
    transition: Transition | None = None
    hold: str = ""
    until_ms: int | None = None
    ruling: Mapping[str, Any] | None = None


# asks the judge about one move: (approved, the ruling to show)
Ask = Callable[[PlanFacts, Transition], tuple[bool, Mapping[str, Any]]]


@struct
class Tick:
    now_ms: int
    settings: LifecycleSettings
    plans: tuple[PlanTick, ...]

    def summary(self) -> dict[str, int]:
        states = ("ready", "held", "steady", "unknown_class")
        return {"plans": len(self.plans),
                **{state: sum(p.state == state for p in self.plans) for state in states}}


def due(facts: PlanFacts, current: str, settings: LifecycleSettings) -> Transition | None:
    """The first declared transition out of ``current`` whose trigger holds."""
    return next((t for t in settings.transitions
                 if t.source == current and TRIGGER_RULES[t.trigger](facts)), None)


def _listed(units: Sequence[str]) -> str:
    shown = ", ".join(units[:_SHOWN_UNITS])
    return shown + (f" and {len(units) - _SHOWN_UNITS} more" if len(units) > _SHOWN_UNITS
                    else "")


def claim_of(facts: PlanFacts, move: Transition) -> tuple[str, tuple[str, ...]]:
    """What the judge is asked to agree with, and the evidence lines it is shown."""
    shipped = [unit for unit in facts.units if unit in facts.shipped]
    text = {"all_phases_shipped": f"every unit of {facts.doc} shipped: {_listed(facts.units)}",
            "any_phase_shipped": f"a unit of {facts.doc} shipped: {_listed(shipped)}",
            "phases_open": f"{facts.doc} has units not shipped: {_listed(facts.remaining)}",
            }[move.trigger]
    evidence = [f"{facts.doc} declares {len(facts.units)} unit(s): {_listed(facts.units)}"]
    evidence += [facts.shipped.get(unit, f"{unit} not shipped")
                 for unit in facts.units[:_SHOWN_UNITS]]
    return text, tuple(evidence)


def _hold(facts: PlanFacts, current: str, move: Transition, settings: LifecycleSettings,
          now_ms: int) -> tuple[str, int | None]:
    if settings.veto_class and settings.veto_class in (current, move.target):
        return "veto", None
    if facts.last_change is not None:
        until = facts.last_change[1] + round(settings.per_plan_cooldown_hours * _HOUR_MS)
        if now_ms < until:
            return "cooldown", until
    return ("manual", None) if not move.auto else ("", None)


def _one(facts: PlanFacts, settings: LifecycleSettings, now_ms: int, ready: int,
         ask: Ask | None) -> PlanTick:
    current = settings.class_named(facts.declared_class or settings.classes[0])
    if current is None:
        return PlanTick(facts, "", "unknown_class")
    move = due(facts, current, settings)
    if move is None:
        return PlanTick(facts, current, "steady")
    hold, until = _hold(facts, current, move, settings, now_ms)
    if not hold and ready >= settings.max_transitions_per_cycle:
        hold = "cap"
    if hold:
        return PlanTick(facts, current, "held", move, hold, until)
    approved, ruling = ask(facts, move) if ask else (True, None)
    return PlanTick(facts, current, "ready" if approved else "held", move,
                    "" if approved else "judge", None, ruling)


def classify(plans: Sequence[PlanFacts], settings: LifecycleSettings, now_ms: int,
             ask: Ask | None = None) -> Tick:
    """The tick over ``plans``; ``ask`` (the judge) is consulted only for a move that
    nothing else holds, so a full cycle asks no more."""
    ticks: list[PlanTick] = []
    ready = 0
    for facts in sorted(plans, key=lambda f: f.doc):
        tick = _one(facts, settings, now_ms, ready, ask)
        ready += tick.state == "ready"
        ticks.append(tick)
    return Tick(now_ms, settings, tuple(ticks))
