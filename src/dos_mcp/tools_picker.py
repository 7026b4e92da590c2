"""Picker tools: which units a plan declares and which shipped, may one be offered, does
an agent's "done" hold, what an empty packet means, which activity, is a lane fit.
Read-only: each answers as its CLI verb does, from the same store and git."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Grade, Lane, Owner, Ref, RunId, Workspace
from dos_mcp.session import Session

__all__ = ["PickerTools"]

Unit = Annotated[str, Field(description="the unit id, e.g. a plan phase such as AUTH2")]
Facts = Annotated[dict[str, Any] | None, Field(
    description="the facts as an object; booleans are true/false (a quoted \"false\" is "
                "an error), an unknown key is an error")]


class PickerTools:
    """``dos enumerate``, ``pickable``, ``reconcile``, ``gate``, ``scout``, ``health``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_enumerate(
        self, *,
        plan_doc: Annotated[str, Field(description="the plan document; a relative path "
                                                   "resolves against the workspace, and it "
                                                   "must lie inside it")],
        series: Annotated[str | None, Field(description="the plan id git is asked about "
                                                        "(default: the `id:` line)")] = None,
        shipped: Annotated[list[str] | None, Field(
            description="ids a cache says shipped: compared with git, never believed")] = None,
        ref: Ref = "HEAD",
        min_grade: Grade = "none",
        workspace: Workspace = None,
    ) -> Answer:
        """A plan document's units in order, each shipped or remaining by git alone (a
        parent ships only with all its children). Same answer as `dos enumerate PLAN_DOC
        --json`; exit code 0 CLEAN, 3 DRIFT, 4 EMPTY."""
        from dos.api import picker

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            path = self.session.confinement.file(plan_doc, base=config.root,
                                                 what="plan document")
            result = picker.enumerate_plan(config, path, series=series, shipped=shipped or (),
                                           ref=ref, min_grade=min_grade)
            return picker.enumerate_json(result), result.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_pickable(
        self, *, unit: Annotated[str | None, Field(
            description="the unit (its recorded attempts decide COOLDOWN)")] = None,
        state: Facts = None,
        now_ms: Annotated[int | None, Field(description="judge at this epoch-ms time "
                                                        "(default: the store's clock)")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """May this unit be offered to a worker now, or the one typed reason it is held
        (its own recent attempts included)? Same answer as `dos pickable UNIT --state JSON
        --json`; exit code 0 OFFERABLE, 10-13 held whatever worker asks, 20-25 held for
        now."""
        from dos.api import picker

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            facts = picker.pick_state_from(state or {})
            verdict = picker.pickable(config, unit=unit, state=facts, now_ms=now_ms)
            return picker.pickable_json(verdict), verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_reconcile(
        self, *, unit: Unit,
        claimed_done: Annotated[bool, Field(description="the agent says it is done")] = False,
        plan: Annotated[str | None, Field(description="ask git: the plan, e.g. AUTH")] = None,
        phase: Annotated[str | None, Field(description="the phase (default: unit)")] = None,
        oracle_shipped: Annotated[bool | None, Field(
            description="the caller's own bit instead of git (reported as the caller's)")
        ] = None,
        ref: Ref = "HEAD",
        min_grade: Grade | None = None,
        workspace: Workspace = None,
    ) -> Answer:
        """Does an agent's "done" hold? VERIFIED only when git shows the unit shipped at
        the grade asked (an empty commit never is). Same answer as `dos reconcile UNIT
        --json`; exit code 0 VERIFIED, 3 QUIET_INCOMPLETE, 4 HONEST_OPEN."""
        from dos.api import picker

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            result = picker.reconcile(config, unit, claimed=claimed_done,
                                      oracle_shipped=oracle_shipped, plan=plan, phase=phase,
                                      ref=ref, min_grade=min_grade)
            return picker.reconcile_json(result), result.state.exit_code
        return self.session.answer(workspace, compute)

    def dos_gate(
        self, *,
        picks: Annotated[list[dict[str, Any]] | None, Field(
            description="the packet's dispositions: {phase, live, drop_reason, ship_via, "
                        "plan_doc_stamped, …}")] = None,
        packet: Annotated[str | None, Field(
            description="instead of picks: the .dispositions-<tag>.json sidecar, inside "
                        "the workspace")] = None,
        race_max_age: Annotated[float, Field(description="seconds after which a race file "
                                                         "is stale")] = 600.0,
        explain: Annotated[bool, Field(description="add what the verdict means")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Is a /next-up packet with no live pick a real drain, or work hidden by a stale
        stamp, a claim or a race? Same answer as `dos gate --json`; exit code 0 LIVE,
        3 DRAIN, 4 STALE-STAMP, 5 BLOCKED, 6 RACE."""
        from dos.api import picker_signals

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            path = None if packet is None else self.session.confinement.file(
                packet, base=config.root, what="packet")
            verdict = picker_signals.gate(packet=path, picks=picks,
                                          race_max_age_s=race_max_age, where="picks")
            return picker_signals.gate_json(verdict, explain=explain), verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_scout(self, *, state: Facts = None, workspace: Workspace = None) -> Answer:
        """Before leasing a lane: dispatch, unstick, replan, wait or stop, from the host's
        signals (health, resource_blocked, stop_policy, replan_due, lane_outcome, …). Same
        answer as `dos scout --state-json JSON --json`; exit code 0 DISPATCH, 3 UNSTICK,
        4 REPLAN, 5 WAIT, 6 STOP."""
        from dos.api import picker_signals

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            del config  # a fold of the signals given
            verdict = picker_signals.scout(picker_signals.scout_state_from(state or {}))
            return picker_signals.scout_json(verdict), verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_health(
        self, *, lane: Annotated[str, Field(description="the lane to judge")],
        owner: Annotated[str, Field(description="your holder id: your leases never "
                                                "block you")] = "",
        window: Annotated[int, Field(description="recent runs weighed")] = 12,
        workspace: Workspace = None,
    ) -> Answer:
        """May a worker start on this lane: a live lease in its way (OVERLAP_BLOCK), or the
        same failure recurring (ROUTE_UNSTICK / ROUTE_REPLAN)? Same answer as `dos health
        --lane L --json`; exit code 0 PROCEED, 3, 4, 6."""
        from dos.api import picker_health

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = picker_health.health(config, lane=lane, owner=owner, window=window)
            return picker_health.health_json(verdict), verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_pick_priority(
        self, *, units: Annotated[list[str], Field(description="the units to rank")],
        workspace: Workspace = None,
    ) -> Answer:
        """The order to try units in: never attempted first, then the least recently
        attempted (ties keep the order given); an ordering, never a gate. Same answer as
        `dos pick-priority UNIT… --json`; exit code 0."""
        from dos.api import pick_priority

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            ranking = pick_priority.pick_priority(config, units)
            return pick_priority.pick_priority_json(ranking), 0
        return self.session.answer(workspace, compute)

    def dos_next(
        self, *, owner: Owner = "",
        lane: Lane = "",
        plans: Annotated[list[str] | None, Field(
            description="plan documents inside the workspace (default: every plans_glob "
                        "match)")] = None,
        dry_run: Annotated[bool, Field(description="only show the ranking and what would "
                                                   "be picked; take nothing")] = False,
        ttl_seconds: Annotated[float, Field(description="the lease's time to live")] = 300.0,
        run_id: RunId = "",
        workspace: Workspace = None,
    ) -> Answer:
        """The next unit for this worker: the freshest remaining unit (git has not seen it
        ship) that no other worker holds and that is not cooling down, leased to you in
        one store transaction (dry_run: take nothing). Same answer as `dos next --owner
        ID --json`; exit code 0 PICKED, 3 DRAINED (stop), 4 HELD (ask later)."""
        from dos.api import next_pick

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            docs = [self.session.confinement.file(doc, base=config.root, what="plan document")
                    for doc in plans or ()]
            result = next_pick.next_unit(
                config, owner=owner, lane=lane,
                plans=docs, dry_run=dry_run, ttl_s=ttl_seconds, run_id=run_id)
            return next_pick.next_json(result), result.token.exit_code
        return self.session.answer(workspace, compute)
