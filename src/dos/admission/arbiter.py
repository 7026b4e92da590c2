"""The arbiter: may this request take this lane now? Pure — live leases come in.

``arbitrate(request, live_leases, config)`` returns a :class:`Decision`. The caller
passes only live leases (expiry is judged by the store's clock, not here). A lane
is exclusive or concurrent by the taxonomy alone; an undeclared lane is refused,
never swapped; a bare request auto-picks among the declared auto-pick lanes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dos.admission.arbiter_rules import (
    UNIVERSAL_TREE,
    Check,
    Held,
    budget_check,
    concurrent_checks,
    hold,
    self_modify_check,
    show_tree,
)
from dos.admission.lease import MODES, Lease, LeaseRequest
from dos.admission.tree import normalize_tree
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.structs import struct
from dos.verdicts.admission import ArbitrateToken

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Decision", "arbitrate", "free_lanes"]


@struct
class Decision:
    """What the arbiter decided, and why."""

    action: ArbitrateToken
    lane: str = ""
    tree: tuple[str, ...] = ()
    exclusive: bool = False
    mode: str = "exclusive"
    auto_picked: bool = False
    reason: str = ""
    reason_class: str = ""
    blockers: tuple[int, ...] = ()
    free_lanes: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()  # the reason classes --force overrode to admit this

    @property
    def acquired(self) -> bool:
        return self.action is ArbitrateToken.ACQUIRE

    @property
    def exit_code(self) -> int:
        return self.action.exit_code

    def to_dict(self) -> dict[str, Any]:
        kind = "" if not self.lane else "exclusive" if self.exclusive else "concurrent"
        return {
            "outcome": self.action.value, "lane": self.lane, "lane_kind": kind,
            "tree": list(self.tree), "auto_picked": self.auto_picked, "reason": self.reason,
            "free_clusters": list(self.free_lanes), "pick_count": None,
            "reason_class": self.reason_class, "exclusive": self.exclusive,
            "mode": self.mode, "blockers": list(self.blockers),
        }


class _Ask:
    """A validated request and the context every rule needs. (A plain class, private to
    one call: a dataclass costs start-up time on every `dos arbitrate`.)"""

    __slots__ = ("budgets", "candidates", "config", "force", "free", "lane", "live", "mode",
                 "tree")

    def __init__(self, *, lane: str, tree: tuple[str, ...], mode: str, force: bool,
                 live: tuple[Held, ...], config: SubstrateConfig, budgets: Mapping[str, int],
                 candidates: tuple[tuple[str, tuple[str, ...], tuple[Check, ...]], ...],
                 free: tuple[str, ...]) -> None:
        self.lane, self.tree, self.mode, self.force, self.live = lane, tree, mode, force, live
        self.config, self.budgets, self.candidates, self.free = config, budgets, candidates, free


def arbitrate(request: LeaseRequest, live_leases: Sequence[Lease], config: SubstrateConfig,
              *, class_budgets: Mapping[str, int] | None = None) -> Decision:
    """Decide ``request`` against the live leases. A malformed request (blank or
    escaping tree entry, unknown mode, a tree without a lane) raises UsageError."""
    if request.mode not in MODES:
        raise UsageError(f"unknown lease mode {request.mode!r}",
                         hint=f"use one of: {', '.join(MODES)}")
    tree = normalize_tree(request.tree, config.root) if request.tree else ()
    live = hold(live_leases, config)
    budgets = dict(class_budgets or {})
    exclusive_live = tuple(held for held in live if held.exclusive)
    candidates = _evaluate(request.mode, live, config, budgets)
    free = () if exclusive_live else tuple(lane for lane, _t, checks in candidates if not checks)
    ask = _Ask(lane=request.lane.strip(), tree=tree, mode=request.mode, force=request.force,
               live=live, config=config, budgets=budgets, candidates=candidates, free=free)
    if not ask.lane:
        if tree:
            raise UsageError("a tree was given without a lane",
                             hint="name the lane with --lane; auto-pick leases a lane's "
                             "declared tree")
        return _exclusive_live(ask, "", exclusive_live) or _auto_pick(ask)
    lane = config.lanes.resolve(ask.lane)
    if lane is None:
        return _unknown_lane(ask)
    refusal = _exclusive_live(ask, lane, exclusive_live)
    if refusal is not None:
        return refusal
    if config.lanes.is_exclusive(lane):
        return _exclusive_lane(ask, lane)
    return _named_concurrent(ask, lane)


def free_lanes(mode: str, live: Sequence[Lease], config: SubstrateConfig,
               budgets: Mapping[str, int] | None = None) -> tuple[str, ...]:
    """The auto-pick lanes a request in ``mode`` could take right now."""
    held = hold(live, config)
    if any(item.exclusive for item in held):
        return ()
    return tuple(lane for lane, _tree, checks in _evaluate(mode, held, config, budgets or {})
                 if not checks)


def _evaluate(mode: str, live: tuple[Held, ...], config: SubstrateConfig,
              budgets: Mapping[str, int]) -> tuple[tuple[str, tuple[str, ...],
                                                         tuple[Check, ...]], ...]:
    """Each auto-pick lane, its tree, and why it cannot be taken (empty when free)."""
    out = []
    for lane, tree in _candidates(config):
        checks = concurrent_checks(lane, tree, mode, live, config=config, overlay=budgets) \
            if tree else (Check("UNKNOWN_BLAST_RADIUS", "declares no tree"),)
        out.append((lane, tree, checks))
    return tuple(out)


def _candidates(config: SubstrateConfig) -> list[tuple[str, tuple[str, ...]]]:
    seen: dict[str, tuple[str, ...]] = {}
    for name in config.lanes.autopick:
        lane = config.lanes.resolve(name)
        if lane is not None and lane not in seen and not config.lanes.is_exclusive(lane):
            seen[lane] = _declared_tree(config, lane)
    return list(seen.items())


def _declared_tree(config: SubstrateConfig, lane: str) -> tuple[str, ...]:
    try:
        return normalize_tree(config.lanes.tree_for(lane))
    except UsageError as exc:
        raise UsageError(f"[lanes.trees] {lane}: {exc.message}",
                         hint="fix the lane's tree in dos.toml; `dos lint` checks it") from None


def _refuse(ask: _Ask, reason_class: str, reason: str, *, lane: str = "",
            blockers: tuple[int, ...] = (), exclusive: bool = False,
            tree: tuple[str, ...] = ()) -> Decision:
    return Decision(ArbitrateToken.REFUSE, lane=lane, tree=tree or ask.tree, exclusive=exclusive,
                    mode=ask.mode, reason=reason, reason_class=reason_class,
                    blockers=blockers, free_lanes=ask.free)


def _free_note(ask: _Ask) -> str:
    if ask.free:
        return f" Free lanes you could take instead: {', '.join(ask.free)}."
    return " No auto-pick lane is free right now."


def _routed(ask: _Ask, lane: str) -> str:
    return "" if ask.lane == lane else f" ('{ask.lane}' routes to lane '{lane}')"


def _unknown_lane(ask: _Ask) -> Decision:
    known = ", ".join(sorted(ask.config.lanes.declared())) or "(none)"
    return _refuse(ask, "UNKNOWN_LANE", (
        f"UNKNOWN_LANE: '{ask.lane}' is not a lane in this workspace, so the kernel will not "
        f"guess a substitute for it (auto-pick only chooses when no lane is named). "
        f"Known lanes: {known}. Pass one of those as --lane, make a bare request to "
        f"auto-pick a free lane, or declare '{ask.lane}' in [lanes] of dos.toml."))


def _exclusive_live(ask: _Ask, lane: str, holders: tuple[Held, ...]) -> Decision | None:
    if not holders:
        return None
    first = holders[0]
    note = " (--force cannot override an exclusive live lane.)" if ask.force else ""
    return _refuse(ask, "EXCLUSIVE_LIVE", (
        f"an exclusive lane is live (lane '{first.lane}', {first.who}); it runs alone — "
        f"wait for it to finish.{note}"),
        lane=lane, blockers=tuple(held.lease.lease_id for held in holders))


def _exclusive_lane(ask: _Ask, lane: str) -> Decision:
    tree = ask.tree or _declared_tree(ask.config, lane) or UNIVERSAL_TREE
    if ask.live:
        note = " --force cannot override this." if ask.force else ""
        return _refuse(ask, "EXCLUSIVE_LANE_BUSY", (
            f"'{lane}' is an exclusive lane{_routed(ask, lane)}; {len(ask.live)} lease(s) "
            f"already live. It must run alone — wait for them to finish.{note}"),
            lane=lane, blockers=tuple(held.lease.lease_id for held in ask.live), exclusive=True)
    checks = [check for check in (budget_check(lane, True, (), ask.config, ask.budgets),
                                  self_modify_check(lane, tree, ask.config)) if check]
    forced = ask.force and all(check.forceable for check in checks)
    if checks and not forced:
        return _refuse(ask, checks[0].reason_class, checks[0].detail + ".", lane=lane,
                       exclusive=True)
    why = f" FORCED past: {checks[0].detail}." if checks else ""
    return Decision(ArbitrateToken.ACQUIRE, lane=lane, tree=tree, exclusive=True,
                    mode="exclusive", reason=f"exclusive lane '{lane}'{_routed(ask, lane)} — "
                    f"no other lease live, admitted.{why}", free_lanes=ask.free,
                    overridden=tuple(check.reason_class for check in checks))


def _named_concurrent(ask: _Ask, lane: str) -> Decision:
    tree = ask.tree or _declared_tree(ask.config, lane)
    if not tree:
        return _refuse(ask, "UNKNOWN_BLAST_RADIUS", (
            f"lane '{lane}' declares no tree and none was requested — an unknown blast "
            f"radius is never admitted. Pass --tree, or declare [lanes.trees] {lane}."),
            lane=lane)
    checks = concurrent_checks(lane, tree, ask.mode, ask.live, config=ask.config,
                             overlay=ask.budgets)
    blockers = tuple(sorted({i for check in checks for i in check.blockers}))
    hard = [check for check in checks if not check.forceable]
    if hard or (checks and not ask.force):
        first = (hard or list(checks))[0]
        details = "; ".join(check.detail for check in checks[:3])
        more = f" (and {len(checks) - 3} more)" if len(checks) > 3 else ""
        return _refuse(ask, first.reason_class,
                       f"cannot take lane '{lane}'{_routed(ask, lane)}: {details}{more}."
                       + ("" if first.reason_class == "SELF_MODIFY" else _free_note(ask)),
                       lane=lane, blockers=blockers, tree=tree)
    return Decision(ArbitrateToken.ACQUIRE, lane=lane, tree=tree, mode=ask.mode,
                    reason=_admit_reason(ask, lane, tree, checks),
                    blockers=blockers, free_lanes=ask.free,
                    overridden=tuple(check.reason_class for check in checks))


def _admit_reason(ask: _Ask, lane: str, tree: tuple[str, ...], checks: Sequence[Check]) -> str:
    if checks:
        overridden = "; ".join(check.detail for check in checks[:3])
        return (f"FORCED lane '{lane}'{_routed(ask, lane)} (operator --force overrode: "
                f"{overridden}) — concurrent edits are now the operator's responsibility.")
    return (f"lane '{lane}'{_routed(ask, lane)} free — tree [{show_tree(tree)}] is clear of "
            f"all {len(ask.live)} live lease(s), admitted.")


def _auto_pick(ask: _Ask) -> Decision:
    if not ask.candidates:
        known = ", ".join(sorted(ask.config.lanes.declared())) or "(none)"
        return _refuse(ask, "NO_AUTOPICK_LANE", (
            "no concurrent lane is declared for auto-pick ([lanes] autopick), so a bare "
            f"request cannot be placed. Name a lane with --lane (known lanes: {known})."))
    skipped: list[tuple[str, Check]] = []
    for lane, tree, checks in ask.candidates:
        if not checks:
            return Decision(ArbitrateToken.ACQUIRE, lane=lane, tree=tree, mode=ask.mode,
                            auto_picked=True, free_lanes=ask.free, reason=(
                                f"auto-picked free lane '{lane}' (no lane was named); its tree "
                                f"is clear of all {len(ask.live)} live lease(s)."))
        skipped.append((lane, checks[0]))
    return _nothing_free(ask, skipped)


def _nothing_free(ask: _Ask, skipped: list[tuple[str, Check]]) -> Decision:
    classes = {check.reason_class for _lane, check in skipped}
    reason_class = classes.pop() if len(classes) == 1 else "NO_FREE_LANE"
    if reason_class in ("LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "TREE_OVERLAP"):
        reason_class = "NO_FREE_LANE"
    why = "; ".join(f"{lane}: {check.detail}" for lane, check in skipped)
    blockers = tuple(sorted({i for _lane, check in skipped for i in check.blockers}))
    return _refuse(ask, reason_class, (
        f"no auto-pick lane can be taken ({len(ask.live)} live lease(s)) — {why}. "
        "Wait for a lease to be released, or name a lane with --lane."), blockers=blockers)
