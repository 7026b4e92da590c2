"""Truth questions: did a phase ship, does a commit's subject match its diff, did a
sub-agent end well, did every fan-out worker come back, and the plan board."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dos import structs
from dos.config import SubstrateConfig
from dos.errors import GitError, UsageError
from dos.limits import is_finite
from dos.render import with_schema
from dos.structs import struct
from dos.truth.ship_verdict import GRADES, ShipVerdict, grade_at_least

TYPE_CHECKING = False  # the other questions' modules load when asked: `dos verify` is hot
if TYPE_CHECKING:
    from typing import Any

    from dos.api.truth_json import (
        AuditJSON,
        AuditSweepJSON,
        CoverageJSON,
        PlanJSON,
        ResultJSON,
        VerifyJSON,
    )
    from dos.truth.commit_audit import AuditVerdict, Sweep
    from dos.truth.coverage import CoverageVerdict
    from dos.truth.near_miss import NearMiss
    from dos.truth.plan_board import Board
    from dos.truth.verify_result import ResultVerdict
    from dos.verdicts.audit import AuditToken

__all__ = [
    "AuditJSON", "AuditReport", "AuditSweepJSON", "CoverageJSON", "PlanJSON", "ResultJSON",
    "VerifyJSON", "check_names", "commit_audit", "commit_audit_json", "coverage",
    "coverage_json", "near_misses", "plan_board", "plan_json", "verify", "verify_json",
    "verify_result", "verify_result_json",
]

_TERMINAL_STATES = ("HEALTHY", "SYNTHETIC", "EMPTY", "UNREADABLE")


def check_names(plan: str, phase: str) -> None:
    """PLAN and PHASE are both named (checked before the workspace is looked for)."""
    if not plan.strip() or not phase.strip():
        raise UsageError("PLAN and PHASE must not be empty",
                         hint="name both, e.g. `dos verify AUTH AUTH1`")


def _apply_min_grade(verdict: ShipVerdict, min_grade: str) -> ShipVerdict:
    if min_grade == "none":
        return verdict
    extra = {**verdict.extra, "min_grade": min_grade}
    if verdict.shipped and not grade_at_least(verdict.grade, min_grade):
        return structs.replace(verdict, shipped=False, extra=extra)
    return structs.replace(verdict, extra=extra)


def verify(config: SubstrateConfig, *, plan: str, phase: str, ref: str = "HEAD",
           min_grade: str = "none", use_index: bool = True) -> ShipVerdict:
    """Did PHASE of PLAN ship in the history of ``ref``? (``dos verify``); ``use_index``
    False reads the whole history instead of the stamp index (same answer, slower)."""
    check_names(plan, phase)
    if min_grade not in GRADES:
        raise UsageError(f"unknown grade {min_grade!r}", hint="one of " + ", ".join(GRADES))
    from dos.truth.oracle import verify as oracle_verify
    from dos.truth.ship_evidence_indexed import default_evidence

    verdict = oracle_verify(plan, phase, config, ref=ref,
                            evidence=default_evidence(config, ref, use_index=use_index))
    _refuse_shallow_absence(verdict)
    return _apply_min_grade(verdict, min_grade)


# Not shipped because nothing was found: in a shallow clone that proves nothing.
_ABSENCE = ("none", "registry-unverified")


def _refuse_shallow_absence(verdict: ShipVerdict) -> None:
    if verdict.extra.get("shallow") and not verdict.shipped and verdict.source in _ABSENCE:
        raise GitError(
            f"{verdict.plan} {verdict.phase} is not in the history of this shallow clone, "
            "and a commit older than its boundary may ship it",
            hint="fetch the whole history with `git fetch --unshallow`, then verify again")


def near_misses(config: SubstrateConfig, verdict: ShipVerdict, *,
                ref: str = "HEAD") -> list[NearMiss]:
    """For a phase that did not ship: the commits whose subjects almost stamp it (wrong
    spelling, no separator, another plan), newest first, with why each did not count."""
    if verdict.shipped or verdict.source != "none":
        return []  # shipped, or a hit whose fate (revert, empty…) the verdict already says
    from dos.git import history
    from dos.truth.near_miss import loose_terms
    from dos.truth.near_miss import near_misses as find
    from dos.truth.stamp import PhaseQuery, compile_stamp

    stamp = compile_stamp(PhaseQuery(verdict.plan, verdict.phase), config.stamp)
    terms = loose_terms(stamp)
    if not terms:
        return []
    head = history.resolve_commit(config.root, ref)
    return find(stamp, history.scan_messages(config.root, head, terms))


def verify_json(verdict: ShipVerdict, *, explain: bool = False,
                misses: list[NearMiss] | None = None) -> VerifyJSON:
    """The JSON answer for ``verdict`` (with ``explain``: its interpretation and ``misses``)."""
    payload: dict[str, Any] = verdict.to_dict()
    if explain:
        from dos.truth.oracle import interpret

        payload["interpretation"] = interpret(verdict)
        payload["near_misses"] = [miss.to_dict() for miss in misses or ()]
    return with_schema(payload, "verify")  # type: ignore[no-any-return]


# commit-audit


@struct
class AuditReport:
    """The verdicts over one commit or range; ``sweep`` is set when a summary was asked."""

    verdicts: tuple[AuditVerdict, ...]
    sweep: Sweep | None = None

    @property
    def token(self) -> AuditToken:
        from dos.truth.commit_audit import overall

        return overall(self.verdicts)

    @property
    def unwitnessed(self) -> int:
        from dos.truth.commit_audit import UNWITNESSED

        return sum(verdict.verdict == UNWITNESSED for verdict in self.verdicts)


def _audit_target(ref: str, sweep: str | bool | None) -> tuple[str, bool]:
    """(revision, single commit?)."""
    if isinstance(sweep, str):
        if ref != "HEAD":
            raise UsageError("give the range either as REF or as --sweep RANGE, not both",
                             hint="e.g. `dos commit-audit --sweep main..HEAD`")
        return sweep, False
    return ref, sweep in (None, False) and ".." not in ref  # a sweep of a ref: all its history


def commit_audit(config: SubstrateConfig, *, ref: str = "HEAD", sweep: str | bool | None = None,
                 docs_ok: bool = False) -> AuditReport:
    """Does each commit of ``ref`` (a commit or a range) claim what its diff shows?
    ``sweep`` asks for the summary: True over ``ref``, or a range of its own."""
    from dos.git.numstat import diffs
    from dos.truth.commit_audit import audit
    from dos.truth.commit_audit import sweep as fold_sweep

    revision, single = _audit_target(ref, sweep)
    verdicts = tuple(audit(diff, docs_ok=docs_ok)
                     for diff in diffs(config.root, revision, single=single))
    return AuditReport(verdicts, fold_sweep(verdicts) if sweep not in (None, False) else None)


def commit_audit_json(report: AuditReport) -> list[AuditJSON] | AuditSweepJSON:
    """The summary when one was asked for, else one object per commit."""
    if report.sweep is not None:
        payload = {**vars(report.sweep), "unwitnessed_shas": list(report.sweep.unwitnessed_shas)}
        return with_schema(payload, "commit-audit")  # type: ignore[no-any-return]
    return with_schema([v.to_dict() for v in report.verdicts],  # type: ignore[no-any-return]
                       "commit-audit")


# verify-result


def verify_result(transcript: Path) -> ResultVerdict:
    """Did the sub-agent whose JSONL transcript this is end healthy, dead or unreadable?"""
    from dos.truth.verify_result import classify_transcript

    return classify_transcript(transcript)


def verify_result_json(verdict: ResultVerdict) -> ResultJSON:
    return with_schema(verdict.to_dict(), "verify-result")  # type: ignore[no-any-return]


# coverage


def _asserted(states: str) -> list[tuple[str, str]]:
    tokens = [t.strip().upper() for t in states.split(",") if t.strip()]
    for token in tokens:
        if token not in _TERMINAL_STATES:
            raise UsageError(f"'{token}' is not a terminal state",
                             hint=f"use a comma list of {', '.join(_TERMINAL_STATES)}")
    return [(t, "OTHER") for t in tokens]


def _transcript_paths(transcripts: Sequence[str], pattern: str | None,
                      base: Path | None) -> list[Path]:
    import glob

    found = [base / p if base else Path(p) for p in transcripts]
    if pattern:
        # glob.glob, not Path.glob: the pattern may be absolute (root_dir ignores it then)
        matches = glob.glob(pattern, root_dir=base, recursive=True)  # noqa: PTH207
        found += [base / p if base else Path(p) for p in sorted(matches)]
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # a worker is counted once, however named
    return list(unique.values())


def _check_coverage_numbers(declared: int | None, min_quorum: float | None) -> int:
    if declared is None or declared < 1:
        raise UsageError("--declared N is required and must be at least 1",
                         hint="pass the fan-out width you dispatched, e.g. --declared 4")
    if min_quorum is not None and not (is_finite(min_quorum) and 0 <= min_quorum <= 1):
        raise UsageError(f"--min-quorum must be a fraction from 0 to 1, got {min_quorum}",
                         hint="e.g. --min-quorum 0.75")
    return declared


def coverage(*, declared: int | None, transcripts: Sequence[str] = (),
             transcripts_glob: str | None = None, states: str | None = None,
             min_quorum: float | None = None, base: Path | None = None) -> CoverageVerdict:
    """Did every one of ``declared`` fan-out workers come back with a result? From their
    transcripts (harness-grounded) or from ``states`` the caller saw, never both.
    Relative transcript paths and ``transcripts_glob`` resolve against ``base``."""
    from dos.truth.coverage import fold
    from dos.truth.verify_result import classify_transcript

    width = _check_coverage_numbers(declared, min_quorum)
    paths = _transcript_paths(transcripts, transcripts_glob, base)
    if states is not None and (paths or transcripts or transcripts_glob):
        raise UsageError("--states and transcripts were both given",
                         hint="pass transcripts (harness-grounded) or --states, not both")
    if states is not None:
        pairs, grounded = _asserted(states), False
    else:
        verdicts = [classify_transcript(path) for path in paths]
        pairs, grounded = [(v.state, v.error_class) for v in verdicts], True
    if not pairs:
        raise UsageError("nothing to fold", hint="pass --transcript PATH / --transcripts-glob "
                         "GLOB (harness-grounded), or --states HEALTHY,SYNTHETIC,… "
                         "(caller-asserted)")
    return fold(pairs, width, grounded=grounded, min_quorum=min_quorum)


def coverage_json(verdict: CoverageVerdict) -> CoverageJSON:
    return with_schema(verdict.to_dict(), "coverage")  # type: ignore[no-any-return]


# plan board


PLAN_SOURCES = ("markdown",)


def plan_board(config: SubstrateConfig, *, pairs: Sequence[str] = (), source: str = "markdown",
               ref: str = "HEAD", now: str | None = None) -> Board:
    """Every declared phase (or the explicit PLAN PHASE ``pairs``) with the plan's claim
    beside git's verdict; the history is read once for the whole board."""
    if len(pairs) % 2:
        raise UsageError(f"'{pairs[-1]}' has no PHASE",
                         hint="pass PLAN PHASE pairs, e.g. `dos plan AUTH AUTH1 AUTH AUTH2`")
    if source not in PLAN_SOURCES:
        raise UsageError(f"unknown plan source '{source}'",
                         hint="the built-in source is markdown")

    from dos.git.history import recent
    from dos.truth.oracle import PhaseQuery, verify_many
    from dos.truth.plan_board import build
    from dos.truth.ship_evidence_indexed import default_evidence

    evidence = default_evidence(config, ref)
    if pairs:
        queries = [PhaseQuery(p, q) for p, q in zip(pairs[::2], pairs[1::2], strict=True)]
        rows, label = [("", "")] * len(queries), "explicit"
    else:
        phases = evidence.plan_phases()
        queries = [PhaseQuery(p.plan, p.phase) for p in phases]
        rows, label = [(p.doc_path, p.claimed) for p in phases], source
    verdicts = verify_many(queries, config, ref=ref, evidence=evidence)
    stamp = now or _now_iso()
    return build(str(config.root), stamp, plan_source=label,
                 initialized=config.source is not None, rows=rows, verdicts=verdicts,
                 activity=recent(config.root, evidence.head, 10))


def _now_iso() -> str:
    """Now, to the second; the tests' clock (DOS_TEST_CLOCK_MS) when it is set."""
    import datetime

    from dos.store import test_clock_ms

    fixed = test_clock_ms()
    moment = datetime.datetime.now(datetime.UTC) if fixed is None else \
        datetime.datetime.fromtimestamp(fixed / 1000, datetime.UTC)
    return moment.replace(microsecond=0).isoformat()


def plan_json(board: Board) -> PlanJSON:
    phases = [{
        "plan": r.verdict.plan, "phase": r.verdict.phase, "doc_path": r.doc_path,
        "claimed_status": r.claimed, "oracle_shipped": r.verdict.shipped,
        "oracle_source": r.verdict.source, "oracle_grade": r.verdict.grade,
        "oracle_sha": r.verdict.sha, "divergence": r.cell, "is_divergent": r.is_divergent,
        "lane": "", "lane_chip": "-", "decision_ref": "",
    } for r in board.rows]
    payload = {"workspace": board.workspace, "now": board.now,
               "plan_source": board.plan_source, "initialized": board.initialized,
               "phases": phases,
               "activity": [{"sha": c.short, "subject": c.subject} for c in board.activity],
               "summary": board.summary()}
    return with_schema(payload, "plan")  # type: ignore[no-any-return]


if not TYPE_CHECKING:
    from dos.api._shapes import shapes_from

    __getattr__ = shapes_from(__name__, "dos.api.truth_json")
