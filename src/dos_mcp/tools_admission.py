"""Admission tools: may I take this lane, take it, give it back, and what the reasons mean."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.admission.lease import Lease
from dos.api.admission import LeaseAction
from dos.config import SubstrateConfig
from dos.errors import StoreError
from dos_mcp.params import Answer, Lane, Leases, Mode, Owner, Workspace
from dos_mcp.session import Session

__all__ = ["AdmissionTools"]

Tree = Annotated[list[str] | None, Field(
    description="the globs to lease (default: the lane's declared tree)")]
Kind = Annotated[str, Field(description="accepted for compatibility: only 'global' (with no "
                                        "lane) changes anything; exclusivity comes from "
                                        "[lanes] in dos.toml")]
LeaseId = Annotated[int | None, Field(
    description="the exact lease (its fencing token), when a lane is not enough")]
LoopTs = Annotated[str, Field(description="only the lease with this loop stamp")]


def _leases(leases: list[dict[str, object]] | None) -> list[Lease] | None:
    """The ``leases`` argument as leases, checked as the CLI checks ``--leases``."""
    from dos.api.admission import leases_from_objects

    return None if leases is None else leases_from_objects(leases)


def _step(action: LeaseAction) -> tuple[object, int]:
    from dos.api.admission import lease_action_json

    return lease_action_json(action), action.exit_code


class AdmissionTools:
    """``dos arbitrate``, ``dos lease-lane``, ``dos man wedge`` and ``dos refuse`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_arbitrate(
        self, *,
        lane: Lane = "",
        kind: Kind = "",
        tree: Tree = None,
        leases: Leases = None,
        force: Annotated[bool, Field(
            description="override a busy concurrent lane or the self-modify guard (never a "
                        "live exclusive lane)")] = False,
        mode: Mode = "exclusive",
        class_budget: Annotated[list[str] | None, Field(
            description="CLASS=N caps on live leases of a concurrency class")] = None,
        explain: Annotated[bool, Field(
            description="add a plain-language GO/STOP 'interpretation'")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """May this lane be taken now? Decides against every live lease in the store (the
        same store the CLI and the hooks use); `leases`, when given, replaces the store's
        live set. Nothing is written but an override: an answer `force` admitted against
        the store is journaled for `dos decisions`. Same answer as `dos arbitrate --json`;
        exit code 0 acquire, 1 refuse, 74 the store cannot be read."""
        from dos.api import admission

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            decision = admission.arbitrate(config, lane=lane, kind=kind, tree=tree or (),
                                           leases=_leases(leases), force=force, mode=mode,
                                           class_budget=class_budget or ())
            if decision.overridden and leases is None:
                from dos.api.decisions import record_override

                record_override(config, lane=decision.lane, overridden=decision.overridden,
                                reason=decision.reason,
                                command=f"dos arbitrate --lane {decision.lane} --force")
            return admission.arbitrate_json(decision, config, explain=explain), decision.exit_code
        return self.session.answer(workspace, compute)

    def dos_lease_acquire(
        self, *,
        owner: Owner = "",
        lane: Lane = "",
        kind: Kind = "",
        tree: Tree = None,
        mode: Mode = "exclusive",
        ttl_seconds: Annotated[float, Field(
            description="how long the lease lives without a heartbeat (default 300)")] = 300.0,
        run_id: Annotated[str | None, Field(
            description="the run this lease is for (default: the server's $CID_RUN_ID, "
                        "$DISPATCH_RUN_ID)")] = None,
        loop_ts: Annotated[str, Field(description="a loop stamp to record (default: now)")] = "",
        pid: Annotated[int | None, Field(
            description="the worker's pid to record (default: none)")] = None,
        host_id: Annotated[str | None, Field(
            description="the host to record (default: $DISPATCH_HOST_ID or hostname)")] = None,
        leases: Leases = None,
        workspace: Workspace = None,
    ) -> Answer:
        """Decide and take a lane lease in one transaction. The `lease_id` it returns is
        the fencing token; renew it with dos_lease_heartbeat, end it with
        dos_lease_release. `leases` are counted as live besides the store's. Same answer
        as `dos lease-lane acquire --json`; exit code 0 acquired, 1 refused (a lane
        dos.toml does not declare is an error naming the declared lanes)."""
        from dos.api import admission

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            try:
                result = admission.acquire(
                    config, owner=owner, lane=lane, kind=kind, tree=tree or (), mode=mode,
                    ttl_seconds=ttl_seconds, run_id=run_id, loop_ts=loop_ts, pid=pid,
                    host_id=host_id, leases=_leases(leases) or ())
            except StoreError as exc:
                failure = admission.store_failure(exc, admission.effective_lane(lane, kind))
                return admission.store_failure_json(failure), failure.token.exit_code
            return admission.acquire_json(result), admission.acquire_token(result).exit_code
        return self.session.answer(workspace, compute)

    def dos_lease_release(
        self, *, owner: Owner = "", lane: Lane = "", lease_id: LeaseId = None,
        loop_ts: LoopTs = "", workspace: Workspace = None,
    ) -> Answer:
        """End your lease; only its holder may. Same answer as
        `dos lease-lane release --json`; exit code 0 released, 1 not held."""
        from dos.api import admission

        return self.session.answer(workspace, lambda config: _step(admission.release(
            config, owner=owner, lane=lane, lease_id=lease_id, loop_ts=loop_ts)))

    def dos_lease_heartbeat(
        self, *, owner: Owner = "", lane: Lane = "", lease_id: LeaseId = None,
        loop_ts: LoopTs = "",
        coalesce_within_s: Annotated[float, Field(
            description="skip the write if renewed less than this many seconds ago")] = 0.0,
        workspace: Workspace = None,
    ) -> Answer:
        """Renew your live lease before its TTL passes (an expired lease cannot be
        revived). Same answer as `dos lease-lane heartbeat --json`; exit code 0 renewed,
        1 not held."""
        from dos.api import admission

        return self.session.answer(workspace, lambda config: _step(admission.heartbeat(
            config, owner=owner, lane=lane, lease_id=lease_id, loop_ts=loop_ts,
            coalesce_within_s=coalesce_within_s)))

    def dos_lease_live(self, *, workspace: Workspace = None) -> Answer:
        """The leases live now, by the store's clock. Same answer as
        `dos lease-lane live --json` (returned as {"result": [...]})."""
        from dos.api import admission

        return self.session.answer(
            workspace, lambda config: (admission.live_json(admission.live(config)), 0))

    def dos_refuse_reasons(self, *, workspace: Workspace = None) -> Answer:
        """The refusal vocabulary of this workspace: every reason token, its category,
        whether it refuses, and its fix. Same answer as `dos man wedge --json`
        (returned as {"result": [...]})."""
        from dos.api import vocabulary

        return self.session.answer(
            workspace, lambda config: (vocabulary.reasons_json(vocabulary.reasons(config)), 0))

    def dos_check_reason(
        self, *,
        token: Annotated[str, Field(description="the reason token, e.g. UNKNOWN_LANE "
                                                "(case-insensitive)")],
        workspace: Workspace = None,
    ) -> Answer:
        """Is TOKEN a refusal reason in this workspace's vocabulary? `verdict` is REFUSAL,
        ADVISORY or UNCLASSIFIED (drift). Same answer as `dos refuse TOKEN --json`;
        exit code 0 a known refusal, 1 otherwise."""
        from dos.api import vocabulary

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            check = vocabulary.check_reason(config, token)
            return vocabulary.check_reason_json(check), check.verdict.exit_code
        return self.session.answer(workspace, compute)
