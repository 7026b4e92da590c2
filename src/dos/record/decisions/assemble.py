"""Rows from the open questions and the facts read now: the leases (which settle
refusals and halts, and whose expired ones are rows themselves), the plan's
over-claims and the stale memory notes routed to the queue."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dos.admission.lease import Lease
from dos.record.decisions.ledger import Group, Ledger
from dos.record.decisions.memory import Routed, memory_row
from dos.record.decisions.model import DecisionRow, Key, Kind, Resolver, handle_of, iso_ms
from dos.record.decisions.rules import URGENCY, rank, refusal_command, resolver_for
from dos.structs import struct

__all__ = ["Facts", "Overclaim", "build_rows"]

_SOURCES = {"ops": "ops journal seq", "verdicts": "verdict journal seq"}


@struct
class Overclaim:
    """A phase the plan claims shipped that the oracle does not find."""

    plan: str
    phase: str
    doc_path: str
    oracle_source: str = ""


@struct
class Facts:
    """What is read fresh for every answer: the store's clock, the leases granted or
    ended inside the window (plus every unreleased one), the plan's over-claims, the
    workspace's reason categories and [supervise] launch command, the routed memory notes."""

    now_ms: int
    leases: Sequence[Lease] = ()
    overclaims: Sequence[Overclaim] = ()
    memory: Sequence[Routed] = ()
    category_of: Callable[[str], str] = lambda _token: "UNCLASSIFIED"
    launch_of: Callable[[str], str] = lambda _lane: ""


def _same_lane(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _settled_by_leases(group: Group, leases: Sequence[Lease]) -> bool:
    key, since = group.key, group.last.ts_ms
    if key.kind is Kind.LIVENESS and group.latest.lease_id is not None:
        return any(lease.lease_id == group.latest.lease_id and lease.released_at_ms is not None
                   for lease in leases)
    if key.kind is Kind.LEASE_REFUSE:  # the refused holder got the lane (any, if unnamed)
        return any(lease.holder == key.subject and lease.acquired_at_ms >= since
                   and (not key.lane or _same_lane(lease.lane, key.lane)) for lease in leases)
    if key.kind is Kind.ARBITER_REFUSE:  # the lane asked about was granted since
        return any(lease.acquired_at_ms >= since
                   and (not key.lane or _same_lane(lease.lane, key.lane)) for lease in leases)
    return False


def _command(group: Group, facts: Facts, resolver: Resolver) -> str:
    key = group.key
    if key.kind is Kind.LIVENESS:
        return group.latest.command
    if key.kind is Kind.RESTART_ESCALATION:
        return facts.launch_of(key.lane) if key.lane else ""
    return refusal_command(key.kind, lane=key.lane, token=key.token, holder=key.subject,
                           resolver=resolver)


def _row(group: Group, facts: Facts) -> DecisionRow:
    key = group.key
    resolver = resolver_for(key.kind, key.token, facts.category_of)
    return DecisionRow(
        number=0, handle=handle_of(key, group.epoch), kind=key.kind, resolver=resolver,
        lane=key.lane, reason_token=key.token, reason_text=group.latest.text,
        run_id=key.run_id, age_seconds=max(0, facts.now_ms - group.first.ts_ms) // 1000,
        evidence=group.latest.evidence, proposed_command=_command(group, facts, resolver),
        dup_count=group.count, urgency=URGENCY[key.kind][1], subject=key.subject,
        first_ts_ms=group.first.ts_ms, first_seq=group.first.seq,
        source=f"{_SOURCES.get(group.first.journal, group.first.journal)} {group.first.seq}",
        through={group.last.journal: group.last.seq})


def _expired(lease: Lease, facts: Facts, ledger: Ledger) -> DecisionRow | None:
    key = Key(Kind.EXPIRED_LEASE, lease.lane, "TTL_PASSED", lease.run_id,
              f"lease#{lease.lease_id}")
    if ledger.covered(key):
        return None
    ended = lease.renewed_at_ms + lease.ttl_ms
    where = f"{lease.host_id}:{lease.pid}" if lease.pid else lease.host_id
    return DecisionRow(
        number=0, handle=handle_of(key, 0), kind=key.kind,
        resolver=resolver_for(key.kind, key.token, facts.category_of), lane=lease.lane,
        reason_token=key.token, reason_text=(
            f"lease #{lease.lease_id} on lane '{lease.lane}' (held by {lease.holder}) passed "
            f"its TTL at {iso_ms(ended)} and was never released: it blocks nothing, but its "
            "holder may have died without saying so"),
        run_id=lease.run_id, age_seconds=max(0, facts.now_ms - ended) // 1000,
        evidence=(f"holder {lease.holder}" + (f" on {where}" if where else ""),
                  f"granted {iso_ms(lease.acquired_at_ms)}, last renewed "
                  f"{iso_ms(lease.renewed_at_ms)}"),
        proposed_command=f"dos lease-lane reap --lease-id {lease.lease_id}", dup_count=1,
        urgency=URGENCY[key.kind][1], subject=key.subject, first_ts_ms=ended,
        source=f"lease #{lease.lease_id}", through={"leases": lease.lease_id})


def _overclaim(claim: Overclaim, facts: Facts, ledger: Ledger) -> DecisionRow | None:
    import shlex

    key = Key(Kind.PLAN_OVERCLAIM, "", "OVER_CLAIM", "", f"{claim.plan} {claim.phase}")
    if ledger.covered(key):
        return None
    return DecisionRow(
        number=0, handle=handle_of(key, 0), kind=key.kind,
        resolver=resolver_for(key.kind, key.token, facts.category_of), lane="",
        reason_token=key.token, reason_text=(
            f"{claim.doc_path or 'the plan'} claims {claim.plan} {claim.phase} shipped; git "
            "shows no commit that ships it"),
        run_id="", age_seconds=0, evidence=(f"declared in {claim.doc_path}",),
        proposed_command=f"dos verify {shlex.quote(claim.plan)} {shlex.quote(claim.phase)} "
                         "--explain",
        dup_count=1, urgency=URGENCY[key.kind][1], subject=key.subject,
        first_ts_ms=facts.now_ms, source=claim.doc_path, through={})


def build_rows(ledger: Ledger, facts: Facts) -> list[DecisionRow]:
    """Every open row, ranked and numbered (the caller picks the view)."""
    rows: list[DecisionRow | None] = [
        _row(group, facts) for group in ledger.open()
        if not _settled_by_leases(group, facts.leases)]
    rows += [_expired(lease, facts, ledger) for lease in facts.leases
             if lease.released_at_ms is None and not lease.is_live(facts.now_ms)]
    rows += [_overclaim(claim, facts, ledger) for claim in facts.overclaims]
    rows += [memory_row(routed, facts.now_ms) for routed in facts.memory if routed.open]
    return rank(row for row in rows if row is not None)

