"""The admission rules the arbiter composes: conflicts with a live lease, the
self-modify guard, class budgets and the overlap-policy seam. All pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dos.admission.lease import MODES, Lease
from dos.admission.tree import (
    globs_overlap,
    literal_prefix,
    matches,
    normalize_glob,
    prefixes_collide,
)
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.structs import struct

__all__ = [
    "UNIVERSAL_TREE",
    "Check",
    "Held",
    "budget_check",
    "concurrent_checks",
    "hold",
    "lease_is_exclusive",
    "lease_mode",
    "lease_tree",
    "policy_check",
    "self_modify_check",
    "show_tree",
]

UNIVERSAL_TREE = ("**",)
_SHOWN = 3


@struct
class Check:
    """One reason a request cannot be admitted as asked."""

    reason_class: str
    detail: str
    blockers: tuple[int, ...] = ()
    forceable: bool = True


def show_tree(tree: Sequence[str]) -> str:
    """At most three globs, for messages."""
    shown = ", ".join(tree[:_SHOWN])
    return f"{shown}, …" if len(tree) > _SHOWN else shown


def lease_tree(lease: Lease) -> tuple[str, ...]:
    """A live lease's tree, normalised; empty or malformed means the whole workspace."""
    try:
        tree = tuple(normalize_glob(glob) for glob in lease.tree)
    except UsageError:
        return UNIVERSAL_TREE
    return tree or UNIVERSAL_TREE


def lease_mode(lease: Lease) -> str:
    """An unknown mode is read as exclusive, the mode that blocks more."""
    return lease.mode if lease.mode in MODES else "exclusive"


def lease_is_exclusive(lease: Lease, config: SubstrateConfig) -> bool:
    """Exclusive by the lease's own flag or by the taxonomy, never by a caller's kind."""
    return lease.exclusive_lane or config.lanes.is_exclusive(lease.lane)


@struct
class Held:
    """A live lease prepared once per decision: canonical lane, tree, prefixes."""

    lease: Lease
    lane: str
    lane_key: str
    tree: tuple[str, ...]
    prefixes: tuple[str, ...]
    shared: bool
    exclusive: bool

    @property
    def who(self) -> str:
        return f"lease #{self.lease.lease_id} held by {self.lease.holder or '(unknown holder)'}"


def hold(live: Sequence[Lease], config: SubstrateConfig) -> tuple[Held, ...]:
    """Prepare the live leases for many checks."""
    held = []
    for lease in live:
        tree = lease_tree(lease)
        lane = config.lanes.resolve(lease.lane) or lease.lane.strip()
        held.append(Held(
            lease=lease, lane=lane, lane_key=lane.casefold(), tree=tree,
            prefixes=tuple(literal_prefix(glob) for glob in tree),
            shared=lease_mode(lease) == "shared", exclusive=lease_is_exclusive(lease, config)))
    return tuple(held)


def _conflict(lane: str, tree: Sequence[str], mode: str, held: Held,
              config: SubstrateConfig) -> Check | None:
    if mode == "shared" and held.shared:
        return None
    blocker = (held.lease.lease_id,)
    if held.lane_key == lane.casefold():
        return Check("LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP",
                     f"lane '{lane}' is already held ({held.who})", blocker)
    if globs_overlap(tree, held.tree):
        return Check("TREE_OVERLAP", f"tree [{show_tree(tree)}] overlaps lane '{held.lane}' "
                     f"[{show_tree(held.tree)}] ({held.who})", blocker)
    refusal = policy_check(tree, held.prefixes, config)
    if refusal is not None:
        return Check("OVERLAP_POLICY", f"{refusal} against lane '{held.lane}' ({held.who})",
                     blocker)
    return None


def _collides(prefix: str, others: Sequence[str]) -> bool:
    return any(prefixes_collide(prefix, other) for other in others)


def policy_check(tree: Sequence[str], held_prefixes: Sequence[str],
                 config: SubstrateConfig) -> str | None:
    """The workspace's ``[overlap]`` policy on two trees the floor found disjoint.

    It can only refuse more: ``prefix`` refuses when more than ``ratio_max`` of the
    requested globs share a literal prefix with the held tree (``held_prefixes``),
    ``strict`` refuses any shared prefix. An unknown policy name is read as ``strict``.
    """
    policy = config.overlap.policy
    shared = [glob for glob in tree if _collides(literal_prefix(glob), held_prefixes)]
    if not shared:
        return None
    if policy != "prefix":
        name = policy if policy == "strict" else f"{policy}' (unknown, read as 'strict'"
        return f"[overlap] policy '{name}' refuses any shared literal prefix ({show_tree(shared)})"
    ratio, ratio_max = len(shared) / max(1, len(tree)), config.overlap.ratio_max
    if ratio <= ratio_max:
        return None
    return (f"[overlap] policy 'prefix': {len(shared)}/{len(tree)} = {ratio:.0%} of the "
            f"requested globs share a literal prefix (threshold {ratio_max:.0%})")


def self_modify_check(lane: str, tree: Sequence[str], config: SubstrateConfig) -> Check | None:
    """Refuse a tree that covers a kernel runtime file present in this workspace."""
    hits = [path for path in (config.kernel_runtime_files or ())
            if any(matches(path, glob) for glob in tree)]
    if not hits:
        return None
    return Check("SELF_MODIFY", f"lane '{lane}' would edit the referee's own running code "
                 f"({show_tree(hits)}); pass --force only when deliberately editing the "
                 "kernel while no loop is running")


def _in_class(name: str, lane: str, exclusive: bool) -> bool:
    folded = name.strip().casefold()
    kind = ("exclusive",) if exclusive else ("concurrent", "cluster")
    return folded in ("*", "all", lane.casefold(), *kind)


def budget_check(lane: str, exclusive: bool, live: Sequence[Held], config: SubstrateConfig,
                 overlay: Mapping[str, int]) -> Check | None:
    """Refuse when a concurrency class the lane belongs to is at its cap (0 = none may run)."""
    budgets = dict(config.concurrency_classes)
    budgets.update(overlay)
    for name, cap in budgets.items():
        if not _in_class(name, lane, exclusive):
            continue
        holders = tuple(held.lease.lease_id for held in live
                        if _in_class(name, held.lane, held.exclusive))
        if len(holders) >= cap:
            return Check("CLASS_BUDGET_EXHAUSTED",
                         f"concurrency class '{name}' is at its budget ({len(holders)}/{cap} "
                         "live); wait for a holder to release, or raise max_concurrent",
                         holders, forceable=False)
    return None


def concurrent_checks(lane: str, tree: Sequence[str], mode: str, live: Sequence[Held], *,
                      config: SubstrateConfig, overlay: Mapping[str, int]) -> tuple[Check, ...]:
    """Every reason a concurrent lane cannot be granted on ``tree`` right now."""
    problems = [
        check for check in (self_modify_check(lane, tree, config),
                            budget_check(lane, False, live, config, overlay))
        if check is not None
    ]
    for held in live:
        conflict = _conflict(lane, tree, mode, held, config)
        if conflict is not None:
            problems.append(conflict)
    return tuple(problems)
