"""The truth syscall: did (PLAN, PHASE) ship in the history of a ref?

Evidence, strongest first: a registry row whose commit is really in the history
(``registry-verified``); a commit that changed the files the plan names for the
phase (``artifact``); a commit subject that stamps the phase (``subject``). A hit
that was later reverted, an empty commit, and a release note that only mentions
the phase are not ships. Facts come in through :class:`ShipEvidence`; the
default reads the candidates from the stamp index (or, without one, the history once for
any number of queries), plus one path-limited pass when a plan names files for a phase
that no stamped commit touched.
"""

from __future__ import annotations

from collections.abc import Sequence

from dos import structs
from dos.config import SubstrateConfig
from dos.truth.plan_source import PlanPhase, distinctive_files
from dos.truth.registry import matching_rows
from dos.truth.ship_decide import decide_all
from dos.truth.ship_rules import RevertIndex, subject_hits
from dos.truth.ship_verdict import GRADES, ShipEvidence, ShipVerdict, grade_at_least
from dos.truth.stamp import PhaseQuery, compile_stamp

__all__ = [
    "GRADES",
    "PhaseQuery",
    "ShipEvidence",
    "ShipVerdict",
    "grade_at_least",
    "interpret",
    "verify",
    "verify_many",
]


def verify(plan: str, phase: str, config: SubstrateConfig, *, ref: str = "HEAD",
           evidence: ShipEvidence | None = None) -> ShipVerdict:
    """Did ``phase`` of ``plan`` ship in the history of ``ref``?"""
    return verify_many([PhaseQuery(plan, phase)], config, ref=ref, evidence=evidence)[0]


def verify_many(queries: Sequence[PhaseQuery], config: SubstrateConfig, *, ref: str = "HEAD",
                evidence: ShipEvidence | None = None) -> list[ShipVerdict]:
    """:func:`verify` for many queries, reading the history once for all of them."""
    if evidence is None:
        from dos.truth.ship_evidence_indexed import default_evidence

        evidence = default_evidence(config, ref)
    stamps = [compile_stamp(q, config.stamp) for q in queries]
    commits = evidence.candidates(stamps)
    hits = subject_hits(stamps, commits)
    phases = {(p.plan.lower(), p.phase.lower()): p for p in reversed(evidence.plan_phases())}
    docs = _docs_by_plan(evidence.plan_phases())
    named = [_named_files(phases.get(_key(s.query)), config) for s in stamps]
    rows = [matching_rows(evidence.registry(), s.query.plan, s.query.phase,
                          docs.get(s.query.plan.strip().lower(), ())) for s in stamps]
    verdicts = decide_all(stamps, hits, named=named, rows=rows, reverts=RevertIndex(commits),
                          evidence=evidence, allow_empty=config.stamp.allow_empty)
    if getattr(evidence, "shallow", False):
        verdicts = [structs.replace(v, extra={**v.extra, "shallow": True}) for v in verdicts]
    return verdicts


def _key(query: PhaseQuery) -> tuple[str, str]:
    return query.plan.strip().lower(), query.phase.strip().lower()


def _docs_by_plan(phases: tuple[PlanPhase, ...]) -> dict[str, tuple[str, ...]]:
    """plan (or doc id) → the plan documents declaring it."""
    docs: dict[str, dict[str, None]] = {}
    for phase in phases:
        for name in {phase.plan.lower(), phase.doc_id.lower()} - {""}:
            docs.setdefault(name, {})[phase.doc_path] = None
    return {name: tuple(paths) for name, paths in docs.items()}


def _named_files(phase: PlanPhase | None,
                 config: SubstrateConfig) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(named, distinctive) files of the phase's plan section, if a plan declares it."""
    if phase is None or not phase.files:
        return (), ()
    return phase.files, distinctive_files(phase.files, config.stamp)


_EXPLAIN_NOT = {
    "none": "NOT shipped — and there is NO positive evidence either way (no registry row, "
            "no matching commit). Treat it as not done. Do NOT accept a worker's claim that "
            "it shipped without evidence.",
    "reverted": "NOT shipped — a commit named it, but a later commit reverted that change.",
    "empty-commit": "NOT shipped — the only commit naming it changed no files; an empty "
                    "commit is a claim, not a change.",
    "release-bump": "NOT shipped — it is only named in release notes or a version bump, not "
                    "by a commit that changed code.",
    "registry-unverified": "NOT shipped — a registry row claims it, but the row's commit is "
                           "missing, unknown, or not in this history. Treat it as not done.",
}


def interpret(verdict: ShipVerdict) -> str:
    """One line saying what the verdict means and how far to trust it."""
    sha = f" ({verdict.sha})" if verdict.sha else ""
    if not verdict.shipped and verdict.grade != "none":
        return (f"NOT accepted — the evidence{sha} is only of grade '{verdict.grade}', weaker "
                f"than the --min-grade '{verdict.extra.get('min_grade', '')}' asked for.")
    if not verdict.shipped:
        return _EXPLAIN_NOT.get(verdict.source, "NOT shipped on the evidence checked. Treat "
                                "it as not done until a real commit or registry row appears.")
    if verdict.grade == "registry-verified":
        return (f"SHIPPED — a run-registry row names commit{sha}, and that commit is in the "
                "history checked. The strongest evidence dos has.")
    if verdict.grade == "artifact":
        return (f"SHIPPED — commit{sha} changed the files the plan names for this phase. The "
                "diff is real; whether it works still needs a test or a review.")
    return (f"SHIPPED — but the only evidence is a commit subject{sha} that names the phase, "
            "and anyone can write a subject. Check the change, or demand more with "
            "--min-grade artifact.")
