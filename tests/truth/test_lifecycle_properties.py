"""Properties of one lifecycle tick over any plans and any coherent [lifecycle] table:
never more ready moves than the cap, none touching the veto class, none cooling down or
left to an operator, and a judge asked only about moves nothing else holds."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.config_documents import lifecycle_tables

from dos.settings import SchemaProblem
from dos.settings.lifecycle import LifecycleSettings, Transition, parse_lifecycle
from dos.truth.lifecycle import TRIGGER_RULES, PlanFacts, classify

_HOUR_MS = 3_600_000
NOW = 1_800_000_000_000


@st.composite
def settings(draw: st.DrawFn) -> LifecycleSettings:
    while True:
        try:
            return parse_lifecycle(draw(lifecycle_tables()))
        except SchemaProblem:
            continue


@st.composite
def plans(draw: st.DrawFn) -> list[PlanFacts]:
    found = []
    for at in range(draw(st.integers(0, 6))):
        units = tuple(f"P{at}U{n}" for n in range(draw(st.integers(0, 3))))
        shipped = {u: f"{u} shipped" for u in units if draw(st.booleans())}
        change = draw(st.none() | st.integers(0, 200).map(lambda h: ("s", NOW - h * _HOUR_MS)))
        declared = draw(st.sampled_from(["", "active", "DONE", "draft", "frozen", "nope"]))
        found.append(PlanFacts(f"docs/p{at}.md", f"P{at}", declared, units, shipped, change))
    return found


@given(settings(), plans(), st.booleans())
def test_a_tick_keeps_its_promises(rules: LifecycleSettings, facts: list[PlanFacts],
                                   agree: bool) -> None:
    asked: list[tuple[str, Transition]] = []

    def judge(plan: PlanFacts, move: Transition) -> tuple[bool, dict[str, Any]]:
        asked.append((plan.doc, move))
        return agree, {"stance": "AGREE" if agree else "DISAGREE"}

    tick = classify(facts, rules, NOW, judge)
    ready = [p for p in tick.plans if p.state == "ready"]
    assert len(ready) <= rules.max_transitions_per_cycle
    assert [p.facts.doc for p in tick.plans] == sorted(f.doc for f in facts)
    for plan in ready:
        move = plan.transition
        assert move is not None
        assert move.auto
        assert move.source == plan.current
        assert rules.veto_class not in (move.source, move.target)
        assert TRIGGER_RULES[move.trigger](plan.facts)
        change = plan.facts.last_change
        assert change is None or change[1] + rules.per_plan_cooldown_hours * _HOUR_MS <= NOW
    assert agree or not ready
    judged = {doc for doc, _ in asked}
    assert judged == {p.facts.doc for p in tick.plans if p.state == "ready" or p.hold == "judge"}
    for plan in tick.plans:
        assert (plan.state == "unknown_class") == (plan.current == "")
        assert (plan.transition is None) == (plan.state in ("steady", "unknown_class"))
