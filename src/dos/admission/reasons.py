"""The refusal vocabulary: a closed, ordered set of reasons that ``dos.toml`` extends.

Every refusal the kernel emits carries one of these tokens as its ``reason_class``;
an unknown token is drift, treated as a refusal and categorised ``UNCLASSIFIED``
unless a morphology rule of the workspace recognises it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from dos.config import SubstrateConfig
from dos.errors import ConfigError
from dos.settings.reasons import KNOWN_CATEGORIES, MorphologyRule, ReasonSpec

__all__ = ["BASE_REASONS", "KNOWN_CATEGORIES", "ReasonRegistry", "registry"]

_ARB = ("dos arbitrate", "dos man lane")


def _spec(token: str, category: str, summary: str, fix: str,
          see_also: Sequence[str] = _ARB) -> ReasonSpec:
    return ReasonSpec(token=token, category=category, refusal=True, summary=summary, fix=fix,
                      see_also=tuple(see_also))


BASE_REASONS: tuple[ReasonSpec, ...] = (
    _spec("LANE_DRAINED", "TRUE_DRAIN", "the lane has no pickable work left",
          "replan the lane or pick another one", ("dos plan", "dos verify")),
    _spec("LANE_BLOCKED_ON_SOAK_GATED_PHASES", "OPERATOR_GATE",
          "every open phase waits for a soak window to close", "wait for the soak to end"),
    _spec("LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "OPERATOR_GATE",
          "another live lease holds this lane", "take a free lane, or wait for the release",
          ("dos lease-lane live", "dos arbitrate")),
    _spec("LANE_ALL_INFLIGHT_OR_DEFERRED", "STALE_CLAIM",
          "every phase is claimed in flight or deferred", "check the claims with dos verify",
          ("dos verify", "dos plan")),
    _spec("LANE_ALL_SHIPPED_INFLIGHT_OR_STALE_STAMP", "STALE_CLAIM",
          "every phase is shipped, in flight or carries a stale stamp",
          "reconcile the plan with git", ("dos verify", "dos plan")),
    _spec("LANE_ALL_BLOCKED_OR_STALE_STAMP", "OPERATOR_GATE",
          "every phase is blocked or carries a stale stamp", "unblock or re-stamp the phases",
          ("dos verify", "dos plan")),
    _spec("LANE_BLOCKED_ON_OPERATOR_DECISION", "OPERATOR_GATE",
          "the lane waits for an operator decision", "make the decision, then retry"),
    _spec("SELF_MODIFY", "MISROUTE", "the tree covers the referee's own running code",
          "narrow the tree, or pass --force while no loop is running"),
    _spec("SCHEMA_UNREADABLE", "MISROUTE", "a plan or policy file could not be parsed",
          "fix the file; dos lint and dos doctor say where", ("dos lint", "dos doctor")),
    _spec("UNKNOWN_LANE", "MISROUTE", "the named lane is not declared in this workspace",
          "pass a declared lane, make a bare request, or declare the lane in dos.toml"),
    _spec("EXCLUSIVE_LIVE", "OPERATOR_GATE", "an exclusive lane is live and runs alone",
          "wait for the exclusive lease to be released", ("dos lease-lane live",)),
    _spec("EXCLUSIVE_LANE_BUSY", "OPERATOR_GATE",
          "an exclusive lane was asked for while other leases are live",
          "wait until no lease is live", ("dos lease-lane live",)),
    _spec("TREE_OVERLAP", "OPERATOR_GATE", "the requested tree overlaps a live lease's tree",
          "take a lane with a disjoint tree, or wait for the release"),
    _spec("OVERLAP_POLICY", "OPERATOR_GATE",
          "the workspace's [overlap] policy refused a near-overlapping tree",
          "pick a more distant tree, or relax [overlap] in dos.toml"),
    _spec("UNKNOWN_BLAST_RADIUS", "MISROUTE", "the lane declares no tree and none was given",
          "pass --tree, or declare the lane's tree in [lanes.trees]"),
    _spec("NO_FREE_LANE", "OPERATOR_GATE", "no auto-pick lane is free right now",
          "wait for a release, or name a lane with --lane", ("dos lease-lane live",)),
    _spec("NO_AUTOPICK_LANE", "MISROUTE", "the workspace declares no lane for auto-pick",
          "name a lane with --lane, or set [lanes] autopick"),
    _spec("CLASS_BUDGET_EXHAUSTED", "OPERATOR_GATE",
          "a concurrency class the lane belongs to is at its budget",
          "wait for a holder to release, or raise [[concurrency_class]] max_concurrent"),
    _spec("STORE_UNREADABLE", "OPERATOR_GATE",
          "the lease store cannot be read, so admission cannot say who holds what",
          "repair or restore the store; dos doctor shows its state", ("dos doctor",)),
    _spec("LOCK_DELAY", "STALE_CLAIM",
          "the tree's last lease ended uncleanly moments ago; it is held back for lock_delay_s",
          "wait out [store] lock_delay_s, or let the old holder release cleanly",
          ("dos lease-lane live",)),
    _spec("SCOPE_CREEP", "MISROUTE", "some touched files are outside the lane's tree",
          "move the out-of-tree edits to their own lane", ("dos scope-gate",)),
    _spec("WRONG_TARGET", "MISROUTE", "the touched files are not in the lane's tree at all",
          "take the lane that owns those files", ("dos scope-gate",)),
)


def _key(token: str) -> str:
    return token.strip().upper()


class ReasonRegistry:
    """An immutable, ordered registry of reasons with morphology for unknown texts."""

    __slots__ = ("_morphology", "_specs", "_table")

    def __init__(self, specs: Iterable[ReasonSpec],
                 morphology: Sequence[MorphologyRule] = ()) -> None:
        table: dict[str, ReasonSpec] = {}
        for spec in specs:
            if spec.token in table:
                raise ValueError(f"duplicate reason token '{spec.token}' in registry")
            table[spec.token] = spec
        self._specs = tuple(table.values())
        self._table = table
        self._morphology = tuple(morphology)

    def __iter__(self) -> Iterator[ReasonSpec]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self.is_known(token)

    @property
    def morphology(self) -> tuple[MorphologyRule, ...]:
        return self._morphology

    def get(self, token: str) -> ReasonSpec | None:
        return self._table.get(_key(token))

    def is_known(self, token: str) -> bool:
        return _key(token) in self._table

    def category_for(self, token: str) -> str:
        """The category of a token; unknown text goes through morphology, else UNCLASSIFIED."""
        spec = self.get(token)
        if spec is not None:
            return spec.category
        folded = token.casefold()
        for rule in self._morphology:
            if rule.substring.casefold() in folded:
                return rule.category
        return "UNCLASSIFIED"

    def is_refusal(self, token: str) -> bool:
        """A known token's own flag; an unknown token counts as a refusal."""
        spec = self.get(token)
        return True if spec is None else spec.refusal

    def tokens(self) -> tuple[str, ...]:
        return tuple(self._table)

    def category_map(self) -> dict[str, str]:
        return {spec.token: spec.category for spec in self._specs}

    def refusal_tokens(self) -> tuple[str, ...]:
        return tuple(spec.token for spec in self._specs if spec.refusal)

    def extend(self, specs: Iterable[ReasonSpec],
               morphology: Sequence[MorphologyRule] = ()) -> ReasonRegistry:
        """A new registry with ``specs`` appended (duplicates raise ValueError)."""
        return ReasonRegistry((*self._specs, *specs), (*self._morphology, *morphology))


BASE_REGISTRY = ReasonRegistry(BASE_REASONS)


def registry(config: SubstrateConfig) -> ReasonRegistry:
    """The base reasons plus the workspace's ``[reasons.*]`` and morphology rules."""
    try:
        return BASE_REGISTRY.extend(config.reasons, config.morphology or ())
    except ValueError as exc:
        raise ConfigError(str(exc), path=str(config.source or ""), table="reasons",
                          hint="rename the [reasons.*] table; a workspace cannot redeclare "
                          "a built-in reason or the same token twice") from None
