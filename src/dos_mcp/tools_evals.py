"""Evaluation-harness tools: grade a knob on a labelled case file inside the workspace.
Read-only: the cases stream from the file and nothing is written but the verdict record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import Field

from dos.api.evals import EvalAnswer, eval_json
from dos.config import SubstrateConfig
from dos_mcp.params import Answer, Workspace
from dos_mcp.session import Session

__all__ = ["EvalTools"]

Cases = Annotated[str, Field(description="the JSONL case file; a relative path resolves "
                                         "against the workspace, and it must lie inside it")]
Rung = Annotated[str | None, Field(description="OBSERVE, WARN, BLOCK or DEFER, any case; "
                                             "for cases with a confidence or verdict object")]
MinRate = Annotated[float | None, Field(description="BELOW_BAR when the headline rate is "
                                                    "under this, 0 to 1")]


class EvalTools:
    """``dos overlap-eval``, ``intervention-eval``, ``tool-stream-eval`` and
    ``precursor-gate-eval`` as tools."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _grade(self, workspace: str | None, cases: str,
               run: Callable[[SubstrateConfig, str], EvalAnswer]) -> Answer:
        def compute(config: SubstrateConfig) -> tuple[object, int]:
            path = self.session.confinement.file(cases, base=config.root, what="cases file")
            answer = run(config, str(path))
            return eval_json(answer), answer.exit_code
        return self.session.answer(workspace, compute)

    def dos_overlap_eval(self, *, cases: Cases, min_rate: MinRate = None,
                         policy: Annotated[str | None, Field(
                             description="prefix or strict (default [overlap] policy)")] = None,
                         workspace: Workspace = None) -> Answer:
        """Grade the overlap policy: each labelled tree pair goes through the live
        arbiter. Same answer as `dos overlap-eval --cases FILE --json`; exit code 0
        MEETS_BAR, 1 BELOW_BAR (an admitted pair collided, or accuracy under min_rate)."""
        from dos.api import evals

        return self._grade(workspace, cases, lambda config, path: evals.overlap_eval(
            config, cases=path, policy=policy, min_rate=min_rate))

    def dos_intervention_eval(
        self, *, cases: Cases, min_rate: MinRate = None,
        entries: Annotated[list[str], Field(description="hook-exit mappings CODE=VERB on "
                                                        "top of [hook_exit]")] = [],  # noqa: B006
        costs: Annotated[list[str], Field(description="TOKEN=COST disruption costs, 0 to 1"
                                          )] = [],  # noqa: B006 - pydantic copies defaults
        high: Rung = None, low: Rung = None, ceiling: Rung = None,
        workspace: Workspace = None,
    ) -> Answer:
        """Grade acting on the id-provenance gate: a string verdict through the hook-exit
        map, a `confidence` (HIGH/LOW/NONE) or verdict object through the policy of high
        (default the ceiling), low (WARN) and ceiling (BLOCK). Same answer as `dos
        intervention-eval --cases FILE --json`; exit code 0 MEETS_BAR, 1 BELOW_BAR (the
        mean task delta is negative, or disruption efficiency under min_rate)."""
        from dos.api import evals

        return self._grade(workspace, cases, lambda config, path: evals.intervention_eval(
            config, cases=path, entries=entries, costs=costs, high=high, low=low,
            ceiling=ceiling, min_rate=min_rate))

    def dos_tool_stream_eval(
        self, *, cases: Cases, min_rate: MinRate = None,
        repeat_n: Annotated[int | None, Field(description="identical results that make "
                                                         "REPEATING")] = None,
        stall_n: Annotated[int | None, Field(description="identical results that make "
                                                        "STALLED")] = None,
        ignore_tools: Annotated[str | None, Field(description="comma list")] = None,
        workspace: Workspace = None,
    ) -> Answer:
        """Grade the stalled-tool-stream warning on replayed streams, fed to the live
        post-tool reader. Same answer as `dos tool-stream-eval --cases FILE --json`; exit
        code 0 MEETS_BAR, 1 BELOW_BAR (off-target fires outnumber recoveries, or the
        recovered rate under min_rate)."""
        from dos.api import evals

        return self._grade(workspace, cases, lambda config, path: evals.tool_stream_eval(
            config, cases=path, repeat_n=repeat_n, stall_n=stall_n, ignore_tools=ignore_tools,
            min_rate=min_rate))

    def dos_precursor_gate_eval(self, *, cases: Cases, min_rate: MinRate = None,
                                workspace: Workspace = None) -> Answer:
        """Grade the workspace's [precursor] grammar on replayed calls, each judged by the
        live precursor classifier. Same answer as `dos precursor-gate-eval --cases FILE
        --json`; exit code 0 MEETS_BAR, 1 BELOW_BAR (off-target fires outnumber caught
        skips, or the recall under min_rate)."""
        from dos.api import evals

        return self._grade(workspace, cases, lambda config, path: evals.precursor_gate_eval(
            config, cases=path, min_rate=min_rate))
