"""Who resolves a row, how urgent it is, and the order the queue shows rows in."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable

from dos.record.decisions.model import DecisionRow, Kind, Resolver

__all__ = ["BACKPRESSURE_TOKENS", "FORCEABLE_TOKENS", "URGENCY", "rank", "refusal_command",
           "resolver_for"]

# Refusals that only say "not now, something else holds it": waiting settles them.
BACKPRESSURE_TOKENS = frozenset({
    "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "TREE_OVERLAP", "OVERLAP_POLICY",
    "EXCLUSIVE_LIVE", "NO_FREE_LANE", "CLASS_BUDGET_EXHAUSTED",
})
# What `dos arbitrate --force` may override (the arbiter's forceable checks).
FORCEABLE_TOKENS = frozenset({
    "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP", "TREE_OVERLAP", "OVERLAP_POLICY",
    "CLASS_BUDGET_EXHAUSTED", "SELF_MODIFY",
})
_SETTLED_BY_EVIDENCE = frozenset({"STALE_CLAIM", "TRUE_DRAIN"})
_ALWAYS = {Kind.LIVENESS: Resolver.HUMAN, Kind.RESTART_ESCALATION: Resolver.HUMAN,
           Kind.EXPIRED_LEASE: Resolver.ORACLE, Kind.PLAN_OVERCLAIM: Resolver.ORACLE,
           Kind.MEMORY_STALE: Resolver.HUMAN}
# kind → (order, label): how soon the row wants an answer.
URGENCY = {Kind.LIVENESS: (0, "now"), Kind.RESTART_ESCALATION: (1, "now"),
           Kind.LEASE_REFUSE: (2, "now"), Kind.ARBITER_REFUSE: (2, "now"),
           Kind.EXPIRED_LEASE: (3, "soon"), Kind.PLAN_OVERCLAIM: (4, "later"),
           Kind.MEMORY_STALE: (5, "later")}
_RESOLVER_ORDER = {Resolver.HUMAN: 0, Resolver.JUDGE: 1, Resolver.BACKPRESSURE: 2,
                   Resolver.ORACLE: 3}


def resolver_for(kind: Kind, token: str, category_of: Callable[[str], str]) -> Resolver:
    """The resolver of a row: fixed per kind, or for a refusal from its reason token
    and the token's category in the workspace's vocabulary (never from its prose)."""
    fixed = _ALWAYS.get(kind)
    if fixed is not None:
        return fixed
    token = token.strip().upper()
    if not token:
        return Resolver.HUMAN
    if token in BACKPRESSURE_TOKENS:
        return Resolver.BACKPRESSURE
    category = category_of(token)
    if category in _SETTLED_BY_EVIDENCE:
        return Resolver.ORACLE
    if category in ("OPERATOR_GATE", "UNCLASSIFIED"):
        return Resolver.HUMAN
    return Resolver.JUDGE


def refusal_command(kind: Kind, *, lane: str, token: str, holder: str,
                    resolver: Resolver) -> str:
    """What a refusal row proposes: retry when waiting settles it, force when the
    arbiter may be overridden, else read what the reason means and how to fix it."""
    lane_flag = f" --lane {shlex.quote(lane)}" if lane else ""
    if kind is Kind.ARBITER_REFUSE and token.upper() in FORCEABLE_TOKENS and lane:
        return f"dos arbitrate{lane_flag} --force"
    if resolver in (Resolver.BACKPRESSURE, Resolver.ORACLE):
        if kind is Kind.LEASE_REFUSE and holder:
            return f"dos lease-lane acquire{lane_flag} --owner {shlex.quote(holder)}"
        return f"dos arbitrate{lane_flag}"
    return f"dos man wedge {shlex.quote(token)} --explain" if token else "dos lease-lane live"


def _order(row: DecisionRow) -> tuple[int, int, int, int, str]:
    return (_RESOLVER_ORDER[row.resolver], URGENCY[row.kind][0], row.first_ts_ms,
            row.first_seq, row.handle)


def rank(rows: Iterable[DecisionRow]) -> list[DecisionRow]:
    """Rows waiting on a human first (so the default view's numbers are the same in
    ``--all``), then by urgency (halts, escalations, refusals, expired leases, plans,
    memory notes), then the longest waiting; numbered from 1."""
    from dos.structs import replace

    return [replace(row, number=index)
            for index, row in enumerate(sorted(rows, key=_order), start=1)]
