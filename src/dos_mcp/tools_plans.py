"""Plan tools: one lifecycle tick over the plan documents. Read-only, as its CLI verb."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Ref, Workspace
from dos_mcp.session import Session
from dos_mcp.tools_judges import refuse_programs

__all__ = ["PlanTools"]


class PlanTools:
    """``dos plan --lifecycle``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_plan_lifecycle(
        self, *,
        ref: Ref = "HEAD",
        judge: Annotated[str | None, Field(
            description="ask this judge about each move nothing else holds; only its AGREE "
                        "makes one ready (similarity, operator, abstain or a plugin)")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """One [lifecycle] tick: each plan document's class, the transition due by its
        trigger, and whether it is ready or held (veto class, per-plan cooldown, operator,
        judge, the cycle's cap). `ready` lists the moves to apply. Same answer as
        `dos plan --lifecycle [--judge NAME] --json`; exit code 0."""
        from dos.api import lifecycle

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            if judge is not None:
                refuse_programs(config, judge, "dos plan --lifecycle")
            tick = lifecycle.lifecycle_tick(config, ref=ref, judge=judge)
            return lifecycle.lifecycle_json(tick, ref=ref, judge=judge), 0
        return self.session.answer(workspace, compute)
