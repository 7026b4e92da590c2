"""Invariants of the supervisor's plan, over random rosters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dos.admission.tree import globs_overlap
from dos.temporal.supervise import Disposition, LaneState, SupervisePolicy, supervise
from dos.verdicts.supervise import SuperviseOutcome
from dos.verdicts.temporal import LivenessToken

TREES = [("src/**",), ("docs/**",), ("tests/**",), ("src/api/**",), ("**/*",), ("ops/**",)]


@st.composite
def rosters(draw: st.DrawFn) -> list[LaneState]:
    count = draw(st.integers(0, 6))
    lanes = []
    for index in range(count):
        exclusive = draw(st.booleans())
        lanes.append(LaneState(
            lane=f"lane{index}", tree=draw(st.sampled_from(TREES)), is_exclusive=exclusive,
            liveness=draw(st.sampled_from([None, *LivenessToken])),
            pending=draw(st.booleans()), recent_reaps=draw(st.integers(0, 5)),
            repeatable=False))
    return lanes


policies = st.builds(SupervisePolicy, target=st.integers(0, 6),
                     reap_stalled=st.booleans(), count_spinning_as_alive=st.booleans(),
                     max_restarts=st.integers(0, 4))


@settings(max_examples=120, deadline=None)
@given(rosters(), policies)
def test_spawns_are_distinct_free_disjoint_and_never_escalated(
        lanes: list[LaneState], policy: SupervisePolicy) -> None:
    plan = supervise(lanes, policy)
    spawned = [p.lane for p in plan.of(Disposition.SPAWN)]
    by_name = {state.lane: state for state in lanes}
    assert len(spawned) == len(set(spawned))
    assert not {p.lane for p in plan.of(Disposition.ESCALATE)} & set(spawned)
    trees = [by_name[lane].tree for lane in spawned]
    for i, first in enumerate(trees):
        for second in trees[i + 1:]:
            assert not globs_overlap(first, second)
    held = [s.tree for s in lanes if s.pending or s.liveness in (
        LivenessToken.ADVANCING, LivenessToken.SPINNING) or (
        s.liveness is LivenessToken.STALLED and not policy.reap_stalled)]
    assert not any(globs_overlap(tree, other) for tree in trees for other in held)
    if any(by_name[lane].is_exclusive for lane in spawned):
        assert len(spawned) == 1
        assert plan.alive == 0


@settings(max_examples=120, deadline=None)
@given(rosters(), policies)
def test_the_outcome_word_matches_the_counts(lanes: list[LaneState],
                                             policy: SupervisePolicy) -> None:
    plan = supervise(lanes, policy)
    spawned = len(plan.of(Disposition.SPAWN))
    expected = (SuperviseOutcome.OVER_TARGET if plan.alive > plan.target
                else SuperviseOutcome.AT_TARGET if plan.alive == plan.target
                else SuperviseOutcome.FILLING if plan.alive + spawned >= plan.target
                else SuperviseOutcome.TARGET_UNREACHABLE)
    assert plan.verdict is expected
    assert plan.alive + spawned <= max(plan.target, plan.alive)
