"""Truth tools: did it ship, does a commit's subject match its diff, did a sub-agent end well."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Grade, Ref, Workspace
from dos_mcp.session import Session

__all__ = ["TruthTools"]


class TruthTools:
    """``dos verify``, ``dos commit-audit`` and ``dos verify-result`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dos_verify(
        self, *,
        plan: Annotated[str, Field(description="the plan (series), e.g. AUTH")],
        phase: Annotated[str, Field(description="the phase, e.g. AUTH1 (or 1, or 'Phase 1')")],
        ref: Ref = "HEAD",
        min_grade: Annotated[Grade, Field(
            description="SHIPPED only with evidence at least this strong: none < subject "
                        "< artifact < registry-verified")] = "none",
        explain: Annotated[bool, Field(
            description="add an 'interpretation' saying what the verdict means")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Did PHASE of PLAN really ship? Answers from git history, not from what an agent
        said: `shipped`, the commit `sha`, and the evidence `grade`. Same answer as
        `dos verify PLAN PHASE --json`; exit code 0 shipped, 1 not shipped."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            verdict = truth.verify(config, plan=plan, phase=phase, ref=ref, min_grade=min_grade)
            misses = truth.near_misses(config, verdict, ref=ref) if explain else []
            return (truth.verify_json(verdict, explain=explain, misses=misses),
                    verdict.token.exit_code)
        return self.session.answer(workspace, compute)

    def dos_commit_audit(
        self, *,
        ref: Annotated[str, Field(
            description="a commit (default HEAD) or a range such as main..HEAD")] = "HEAD",
        sweep: Annotated[bool, Field(
            description="answer with the aggregate drift rate over REF instead of one "
                        "object per commit")] = False,
        docs_ok: Annotated[bool, Field(
            description="accept any non-empty diff as witness of a code-effect claim")] = False,
        workspace: Workspace = None,
    ) -> Answer:
        """Does each commit subject claim what its own diff shows? ("fix:" needs a source
        file, "test:" a test file, …). Same answer as `dos commit-audit REF [--sweep]
        --json` (a list is returned as {"result": [...]}); exit code 1 when a claim is
        unwitnessed."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            report = truth.commit_audit(config, ref=ref, sweep=sweep, docs_ok=docs_ok)
            return truth.commit_audit_json(report), report.token.exit_code
        return self.session.answer(workspace, compute)

    def dos_verify_result(
        self, *,
        transcript: Annotated[str, Field(
            description="the sub-agent's JSONL transcript; a relative path resolves against "
                        "the workspace, and it must lie inside it")],
        workspace: Workspace = None,
    ) -> Answer:
        """Did a sub-agent's transcript end in a real answer (HEALTHY), a harness-made
        error or nothing (dead), or is it unreadable? Same answer as
        `dos verify-result --transcript PATH --json`; exit code 0 healthy, 3 dead,
        4 unreadable."""
        from dos.api import truth

        def compute(config: SubstrateConfig) -> tuple[object, int]:
            path = self.session.confinement.file(transcript, base=config.root,
                                                 what="transcript")
            verdict = truth.verify_result(path)
            return truth.verify_result_json(verdict), verdict.token.exit_code
        return self.session.answer(workspace, compute)
