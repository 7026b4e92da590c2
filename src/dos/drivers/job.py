"""The job driver (``--driver job``, or ``--job``): the reference application's policy.

Its repository keeps plans, the run registry and run records under ``docs/``: the
registry in ``docs/_plans/execution-state.yaml``, plans in ``docs/**/*-plan.md``, and
finished runs archived as commits under ``docs/_dispatch_loops``, ``docs/_chained_runs``
and ``docs/_fanout_runs`` (which ``dos health`` reads). Two lanes, both exclusive:
``orchestration`` owns that bookkeeping, ``global`` the whole tree. Commit subjects
follow the strict stamp grammar: a directory prefix (``docs/RS: RS4 — …``), and
bookkeeping or progress commits that never ship a phase.
"""

from __future__ import annotations

from pathlib import Path

from dos.config import (
    LaneTaxonomy,
    PathLayout,
    StampGrammar,
    SubstrateConfig,
    gather_workspace_facts,
    resolve_workspace_root,
)

__all__ = ["JOB_LANE_TAXONOMY", "JOB_STAMP", "job_config"]

_BOOKKEEPING_DIRS = ("docs/_plans", "docs/_fanout_runs", "docs/_dispatch_loops",
                     "docs/_chained_runs", "docs/_soaks")

JOB_LANE_TAXONOMY = LaneTaxonomy(
    concurrent=(),
    exclusive=("orchestration", "global"),
    autopick=(),
    trees={"orchestration": tuple(f"{d}/**/*" for d in _BOOKKEEPING_DIRS),
           "global": ("**/*",)},
)

JOB_STAMP = StampGrammar(
    style="grep",
    subject_dirs=("docs", "go", "agents", "job_search", "scripts"),
    summary_bundle_prefixes=("docs/HYG:",),
    bookkeeping_prefixes=("docs/_plans:", "docs/fanout:", "docs/dispatch:",
                          "docs/dispatch-loop:", "docs/_soaks:"),
    code_dirs=("agents", "job_search", "go", "scripts", "templates", "config", "docs",
               "tests"),
    infra_basenames=("fanout_state.py",),
    infra_doc_basenames=("00_subsystems-reference.md", "architecture.mmd", "data-flow.mmd",
                         "pipeline-flow.mmd", "state-machine.mmd", "scoring-model.mmd",
                         "model-tiering.mmd"),
    progress_markers=("week-1", "week-2", "week-3", "week-4", "day-1", "day-2", "day-3",
                      "day-4", "day-5", "day-6", "day-7", "audit", "re-audit", "baseline",
                      "re-baseline", "rebaseline", "read", "reading", "snapshot", "obs",
                      "observation", "measurement", "progress", "soak", "wip", "partial",
                      "§why", "todo"),
    sub_phase_parent_fallback=True,
)


def job_config(workspace: Path | str | None = None) -> SubstrateConfig:
    """The job policy bound to ``workspace``; ``dos.toml`` is layered over it."""
    root = resolve_workspace_root(workspace)
    return SubstrateConfig(
        lanes=JOB_LANE_TAXONOMY,
        paths=PathLayout.for_root(root),
        workspace=gather_workspace_facts(root),
        stamp=JOB_STAMP,
        driver="job",
    )
