"""Adjudication tools: audit a run's "nothing to do", grade a judge on labelled claims.
Read-only, as their CLI verbs. A judge that would run a program or call an endpoint is
not offered here: a tool call must not start what a workspace's dos.toml names."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos_mcp.params import Answer, RunId, Workspace
from dos_mcp.session import Session

__all__ = ["JudgeTools", "refuse_programs"]


def refuse_programs(config: SubstrateConfig, judge: str, verb: str) -> None:
    """A judge whose ``[judges.<name>]`` names a program or an endpoint is not started."""
    from dos.api import judges

    options = judges.judge_options(config, judge)
    if options.get("command") or options.get("url"):
        raise UsageError(f"the {judge} judge runs a program or calls an endpoint, which an "
                         "MCP tool does not start", hint=f"run `{verb}` from a shell")


class JudgeTools:
    """``dos judge wedge`` and ``dos judge-eval``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_judge_wedge(self, *, run: RunId, workspace: Workspace = None) -> Answer:
        """Does a run's recorded "nothing to do" (`dos next` DRAINED or HELD) hold up
        against the store and the plan documents? Same answer as `dos judge wedge RUN
        --json`; exit code 0 AGREES or ABSTAINS, 1 DISAGREES (a provable picker bug)."""
        from dos.api import wedge

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            audit = wedge.audit_wedge(config, run)
            return wedge.wedge_json(audit), audit.verdict.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_judge_eval(
        self, *,
        cases: Annotated[str, Field(description="the labelled claims (JSONL); a relative "
                                                "path resolves against the workspace, and "
                                                "it must lie inside it")],
        judge: Annotated[str, Field(description="the judge to grade: similarity (lexical), "
                                                "operator, abstain or a plugin")] = "similarity",
        min_rate: Annotated[float | None, Field(
            description="fail (exit 1) when decisive accuracy is under this, 0 to 1")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """How often does a judge clear a false claim? Same answer as `dos judge-eval
        --cases FILE --json`; exit code 0 PASS, 1 FALSE_CLEAR or BELOW_MIN_RATE."""
        from dos.api import judges
        from dos.evals.cases import min_rate as check_rate

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            refuse_programs(config, judge, "dos judge-eval")
            path = self.session.confinement.file(cases, base=config.root, what="cases file")
            threshold = None if min_rate is None else check_rate(repr(float(min_rate)))
            report = judges.judge_eval(config, cases=path, judge=judge, min_rate=threshold)
            return judges.judge_eval_json(report, cases), report.token.exit_code
        return self.session.answer(workspace, compute)
