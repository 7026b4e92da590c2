"""``dos next``: enumerate, then in one store transaction drop what is leased or cooling
down, rank the rest by freshness and take the lease for the first — so workers asking at
once each get a different unit, or a typed "nothing pickable, because …"."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dos.admission.lease import Lease, LeaseRequest
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema
from dos.store import StoreTx
from dos.structs import field, struct
from dos.temporal.next_pick import UNIT_LEASE_PREFIX, Candidate, Ranked
from dos.verdicts.picker import NextToken

__all__ = ["NextResult", "next_json", "next_unit", "plan_docs"]

_SHOWN = 20  # ranked units listed in an answer


@struct
class NextResult:
    token: NextToken
    reason: str
    owner: str
    because: str = ""
    picked: Ranked | None = None
    lease: Lease | None = None
    ranking: tuple[Ranked, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    renewed: bool = False
    lane: str = ""
    run_id: str = ""
    docs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        unit = self.picked.candidate if self.picked else None
        return {"verdict": self.token.value, "unit": unit.unit if unit else None,
                "plan": unit.plan if unit else None, "doc": unit.doc if unit else None,
                "lease": self.lease.to_dict() if self.lease else None,
                "because": self.because or None, "reason": self.reason, "owner": self.owner,
                "lane": self.lane or None, "dry_run": self.dry_run, "renewed": self.renewed,
                "run_id": self.run_id or None, "docs": list(self.docs),
                **self.counts, "ranking": [r.to_dict() for r in self.ranking[:_SHOWN]]}


def plan_docs(config: SubstrateConfig, plans: Sequence[Path]) -> list[Path]:
    """The plan documents: those named, else every file matching ``[paths] plans_glob``."""
    if plans:
        return list(plans)
    pattern = config.paths.plans_glob
    if Path(pattern).is_absolute():
        found = [Path(p) for p in glob.glob(pattern, recursive=True)]  # noqa: PTH207
    else:
        found = list(config.root.glob(pattern))
    docs = sorted(path for path in found if path.is_file())
    if not docs:
        raise UsageError(f"no plan document matches [paths] plans_glob = {pattern!r}",
                         hint="pass --plan DOC, or set [paths] plans_glob in dos.toml")
    return docs


def _candidates(config: SubstrateConfig, docs: Sequence[Path], *, ref: str,
                min_grade: str) -> tuple[list[Candidate], dict[str, int]]:
    """Remaining leaves of every document (a unit named twice counts once)."""
    from dos.api.picker import enumerate_plan

    found: dict[tuple[str, str], Candidate] = {}
    counts = {"units": 0, "shipped": 0, "remaining": 0}
    for doc in docs:
        result = enumerate_plan(config, doc, ref=ref, min_grade=min_grade)
        counts["units"] += len(result.statuses)
        counts["shipped"] += len(result.shipped)
        for unit in result.leaves_remaining:
            if unit.plan:  # a unit with no plan cannot be asked about, so never taken
                key = (unit.plan.casefold(), unit.key)
                found.setdefault(key, Candidate(unit.plan, unit.unit, result.doc, unit.line))
    counts["remaining"] = len(found)
    return list(found.values()), counts


def _leased(live: Sequence[Lease]) -> dict[str, str]:
    """lease key (plan/unit) → holder, from the live leases ``dos next`` granted."""
    return {lease.loop_ts[len(UNIT_LEASE_PREFIX):].casefold(): lease.holder
            for lease in live if lease.loop_ts.startswith(UNIT_LEASE_PREFIX)}


def _attempts(tx: StoreTx, config: SubstrateConfig, candidates: Sequence[Candidate],
              now: int) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """(unit key → (attempts, last attempt ms), unit key → cooldown end) in ``tx``: one
    indexed count for every unit, then the rows of the few attempted within a window."""
    from dos.temporal.cooldown import Attempt, CooldownPolicy, classify
    from dos.verdicts.cooldown import CooldownToken

    names = {c.key: c.unit for c in candidates}
    counted = tx.last_attempts(list(names.values()))
    last = {unit.casefold(): seen for unit, seen in counted.items()}
    policy = CooldownPolicy.from_table(config.table("cooldown"))
    since = now - max(policy.window_ms, policy.error_window_ms)
    cooling = {}
    for unit, (_count, at) in counted.items():
        if at < since:
            continue  # its last attempt is older than any window: nothing holds it
        rows = [Attempt(row.unit_id, row.outcome, row.attempted_at_ms)
                for row in tx.attempts(unit_id=unit, since_ms=since, limit=10_000)]
        verdict = classify(unit, rows, now, policy)
        if verdict.state is CooldownToken.RECENTLY_ATTEMPTED and verdict.until_ms is not None:
            cooling[unit.casefold()] = verdict.until_ms
    return last, cooling


def _request(config: SubstrateConfig, lane: str, owner: str) -> LeaseRequest:
    if lane:
        from dos.admission.declared import declared_lane

        lane = declared_lane(config, lane)
    return LeaseRequest(lane=lane, mode="shared", owner=owner)


def _nothing(owner: str, because: str, ranking: Sequence[Ranked], counts: dict[str, int],
             *, dry_run: bool, lane: str, reason: str = "") -> NextResult:
    from dos.temporal.next_pick import because as why

    if because in ("NO_UNITS", "ALL_SHIPPED"):
        text = "every declared unit has shipped" if because == "ALL_SHIPPED" else \
            "the plan declares no unit git can be asked about"
        return NextResult(NextToken.DRAINED, f"nothing pickable, because {text}", owner,
                          because, counts=counts, dry_run=dry_run, lane=lane)
    because = because or why(ranking)
    text = reason or {"ALL_LEASED": "every remaining unit is leased to another worker",
                      "ALL_COOLING": "every remaining unit was attempted too recently",
                      "ALL_HELD": "every remaining unit is leased or cooling down"}[because]
    return NextResult(NextToken.HELD, f"nothing pickable, because {text}", owner, because,
                      ranking=tuple(ranking), counts=counts, dry_run=dry_run, lane=lane)


def _pick(tx: StoreTx, config: SubstrateConfig, candidates: Sequence[Candidate],
          counts: dict[str, int], *, request: LeaseRequest, dry_run: bool, run: str,
          ttl_ms: int, start: str) -> NextResult:
    from dos.admission.arbiter import arbitrate
    from dos.admission.lane_lease import admit
    from dos.temporal.next_pick import rank, unit_marker

    now = tx.now_ms()
    live = [lease for lease in tx.unreleased_leases() if lease.is_live(now)]
    owner = request.owner
    mine = next((lease for lease in live if lease.holder == owner
                 and lease.loop_ts.startswith(UNIT_LEASE_PREFIX)), None)
    last, cooling = _attempts(tx, config, candidates, now)
    leased = {k: h for k, h in _leased(live).items() if mine is None or h != owner}
    ranking = rank(candidates, leased=leased, last=last, cooling=cooling)
    if mine is not None:  # a worker holds one unit at a time: asking again renews it
        held_key = mine.loop_ts[len(UNIT_LEASE_PREFIX):].casefold()
        found = next((r for r in ranking if r.candidate.lease_key == held_key), None)
        if found is not None and not dry_run:
            again = LeaseRequest(lane=mine.lane, tree=mine.tree, mode=mine.mode, owner=owner)
            result = admit(tx, config, again, run=run, ttl_ms=ttl_ms, loop_ts=mine.loop_ts,
                           start_sha=start)
            return NextResult(NextToken.PICKED, f"{found.candidate.unit} is already yours "
                              "(lease renewed)", owner, picked=found, lease=result.lease,
                              ranking=tuple(ranking), counts=counts, renewed=True,
                              lane=mine.lane)
    free = [r for r in ranking if not r.held]
    if not free:
        return _nothing(owner, "", ranking, counts, dry_run=dry_run, lane=request.lane)
    first = free[0]
    if dry_run:
        decision = arbitrate(request, live, config)
        if not decision.acquired:
            return _nothing(owner, "LANE_BUSY", ranking, counts, dry_run=True,
                            lane=request.lane, reason=decision.reason)
        return NextResult(NextToken.PICKED, f"{first.candidate.unit} would be picked "
                          f"({first.detail}); nothing was taken", owner, picked=first,
                          ranking=tuple(ranking), counts=counts, dry_run=True,
                          lane=decision.lane)
    result = admit(tx, config, request, run=run, ttl_ms=ttl_ms,
                   loop_ts=unit_marker(first.candidate), start_sha=start)
    if result.lease is None:
        return _nothing(owner, "LANE_BUSY", ranking, counts, dry_run=False,
                        lane=request.lane, reason=result.decision.reason)
    return NextResult(NextToken.PICKED, f"{first.candidate.unit} picked ({first.detail}); "
                      f"lease #{result.lease.lease_id} on lane '{result.lease.lane}'", owner,
                      picked=first, lease=result.lease, ranking=tuple(ranking),
                      counts=counts, lane=result.lease.lane)


def next_unit(config: SubstrateConfig, *, owner: str, lane: str = "",
              plans: Sequence[Path] = (), dry_run: bool = False, ttl_s: float = 300.0,
              run_id: str = "", ref: str = "HEAD", min_grade: str = "none") -> NextResult:
    """Take the freshest remaining unit no other worker holds (``dry_run``: only say
    which, and the ranking). The plan is read before the transaction; the leases, the
    attempts and the grant are read and written inside one. The answer names the run
    and the plan documents read, so ``dos judge wedge`` can audit it later."""
    from dos import structs
    from dos.admission.holder import check_run_id
    from dos.api.picker import shown_doc

    run = check_run_id(run_id)
    docs = plan_docs(config, plans)
    result = _next_unit(config, owner=owner, lane=lane, docs=docs, dry_run=dry_run,
                        ttl_s=ttl_s, run=run, ref=ref, min_grade=min_grade)
    return structs.replace(result, run_id=run,
                               docs=tuple(shown_doc(doc, config.root) for doc in docs))


def _next_unit(config: SubstrateConfig, *, owner: str, lane: str, docs: Sequence[Path],
               dry_run: bool, ttl_s: float, run: str, ref: str, min_grade: str) -> NextResult:
    from dos.admission.holder import resolve_owner
    from dos.admission.lane_lease import resolved_tree, ttl_ms
    from dos.api.picker import check_grade
    from dos.git.progress import head_sha
    from dos.store import reading, writing

    holder = resolve_owner(owner, allow_host_pid=False)
    ttl = ttl_ms(ttl_s)
    check_grade(min_grade)
    request = _request(config, lane.strip(), holder)
    request = LeaseRequest(lane=request.lane, tree=resolved_tree(request, config),
                           mode="shared", owner=holder)
    candidates, counts = _candidates(config, docs, ref=ref, min_grade=min_grade)
    if not candidates:
        because = "ALL_SHIPPED" if counts["units"] else "NO_UNITS"
        return _nothing(holder, because, (), counts, dry_run=dry_run, lane=request.lane)
    start = head_sha(config.root)
    if dry_run:
        with reading(config) as tx:
            if tx is None:
                from dos.temporal.next_pick import rank

                first = rank(candidates, leased={}, last={}, cooling={})
                return NextResult(NextToken.PICKED, f"{first[0].candidate.unit} would be "
                                  "picked (no store yet: nothing leased or attempted); "
                                  "nothing was taken", holder, picked=first[0],
                                  ranking=tuple(first), counts=counts, dry_run=True,
                                  lane=request.lane)
            return _pick(tx, config, candidates, counts, request=request, dry_run=True,
                         run=run, ttl_ms=ttl, start=start)
    with writing(config) as tx:
        return _pick(tx, config, candidates, counts, request=request, dry_run=False,
                     run=run, ttl_ms=ttl, start=start)


def next_json(result: NextResult) -> dict[str, Any]:
    return dict(with_schema(result.to_dict(), "next"))
