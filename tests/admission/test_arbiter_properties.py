"""Invariants of the arbiter over random taxonomies, live sets and request sequences."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dos.admission.arbiter import arbitrate
from dos.admission.lease import Lease, LeaseRequest
from dos.admission.tree import globs_overlap
from dos.config import LaneTaxonomy, PathLayout, SubstrateConfig, WorkspaceFacts

ROOT = Path("/work/space")
TREES = ["src/**", "src/api/**", "docs/*", "docs/UI-*", "docs/SVC-*", "**/VERSION",
         "tests/**", "a?b/**", "axb/c", "[st]rc/x.py"]
LANES = ["alpha", "beta", "gamma", "delta", "omega"]


@st.composite
def taxonomies(draw: st.DrawFn) -> LaneTaxonomy:
    exclusive = draw(st.lists(st.sampled_from(LANES), max_size=1, unique=True))
    concurrent = [lane for lane in LANES if lane not in exclusive]
    trees = {lane: draw(st.lists(st.sampled_from(TREES), min_size=1, max_size=2, unique=True))
             for lane in LANES}
    autopick = draw(st.lists(st.sampled_from(LANES), max_size=4, unique=True))
    return LaneTaxonomy(concurrent=concurrent, exclusive=exclusive, autopick=autopick,
                        trees=trees, aliases={"al": "alpha"})


requests = st.builds(
    LeaseRequest,
    lane=st.sampled_from(["", "alpha", "BETA", "al", "gamma", "delta", "omega", "nope"]),
    mode=st.sampled_from(["exclusive", "shared"]),
)


def _config(taxonomy: LaneTaxonomy) -> SubstrateConfig:
    return SubstrateConfig(lanes=taxonomy, paths=PathLayout.for_dos_dir(ROOT),
                           workspace=WorkspaceFacts(root=ROOT))


def _compatible(first: Lease, second: Lease) -> bool:
    if first.exclusive_lane or second.exclusive_lane:
        return False
    if first.mode == "shared" and second.mode == "shared":
        return True
    return first.lane != second.lane and not globs_overlap(first.tree, second.tree)


@settings(max_examples=150, deadline=None)
@given(taxonomies(), st.lists(requests, min_size=1, max_size=8))
def test_unforced_grants_are_pairwise_compatible(taxonomy: LaneTaxonomy,
                                                 sequence: list[LeaseRequest]) -> None:
    config = _config(taxonomy)
    live: list[Lease] = []
    for number, request in enumerate(sequence, start=1):
        decision = arbitrate(request, live, config)
        if not decision.acquired:
            assert decision.reason_class
            continue
        granted = Lease(lease_id=number, lane=decision.lane, tree=decision.tree,
                        holder=f"agent{number}", exclusive_lane=decision.exclusive,
                        mode=decision.mode)
        for other in live:
            assert _compatible(granted, other), (granted, other, decision.reason)
        live.append(granted)


@settings(max_examples=150, deadline=None)
@given(taxonomies(), requests)
def test_a_named_lane_is_never_swapped(taxonomy: LaneTaxonomy, request: LeaseRequest) -> None:
    decision = arbitrate(request, [], _config(taxonomy))
    if request.lane:
        assert not decision.auto_picked
        resolved = taxonomy.resolve(request.lane)
        if resolved is None:
            assert decision.reason_class == "UNKNOWN_LANE"
        elif decision.acquired:
            assert decision.lane == resolved
    elif decision.acquired:
        assert decision.auto_picked
        assert decision.lane in taxonomy.autopick


@settings(max_examples=150, deadline=None)
@given(taxonomies(), requests, st.booleans())
def test_exclusivity_comes_from_the_taxonomy(taxonomy: LaneTaxonomy, request: LeaseRequest,
                                             flagged: bool) -> None:
    exclusive_lanes = taxonomy.exclusive or ("alpha",)
    held = Lease(lease_id=1, lane=exclusive_lanes[0], tree=("zzz/**",), holder="x",
                 exclusive_lane=flagged)
    decision = arbitrate(request, [held], _config(taxonomy))
    if taxonomy.exclusive or flagged:
        assert not decision.acquired
    forced = LeaseRequest(lane=request.lane, mode=request.mode, force=True)
    if taxonomy.exclusive or flagged:
        assert not arbitrate(forced, [held], _config(taxonomy)).acquired


@settings(max_examples=100, deadline=None)
@given(taxonomies(), requests)
def test_free_lanes_are_really_free(taxonomy: LaneTaxonomy, request: LeaseRequest) -> None:
    config = _config(taxonomy)
    live = [Lease(lease_id=1, lane="beta", tree=("src/**",), holder="x")]
    decision = arbitrate(request, live, config)
    for lane in decision.free_lanes:
        taken = arbitrate(LeaseRequest(lane=lane, mode=request.mode), live, config)
        assert taken.acquired, (lane, taken.reason)
