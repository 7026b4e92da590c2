"""The oracle's ladder: registry-verified, then artifact, then subject, else not shipped.

Batched: each kind of fact (commit existence, ancestry, touched files, commits
touching named paths) is asked for once for every query together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dos.truth.commits import Commit
from dos.truth.registry import RegistryRow
from dos.truth.ship_rules import RevertIndex, is_release_footprint, rung_summary, touches
from dos.truth.ship_verdict import ShipEvidence, ShipVerdict
from dos.truth.stamp import (
    BODY_MENTION,
    FILE_PATH,
    RELEASE_PREFIX,
    Stamp,
    is_bookkeeping,
    names_other_series,
    names_series,
)

__all__ = ["decide_all"]

Hits = list[tuple[str, Commit]]
Named = tuple[tuple[str, ...], tuple[str, ...]]


class _Facts:
    """What every stamp's decision reads (a plain class: `dos verify` is hot)."""

    __slots__ = ("allow_empty", "files", "in_history", "ref", "resolved", "reverts")

    def __init__(self, *, ref: str, files: Mapping[str, tuple[str, ...]],
                 reverts: RevertIndex, resolved: Mapping[str, str], in_history: set[str],
                 allow_empty: bool) -> None:
        self.ref, self.files, self.reverts = ref, files, reverts
        self.resolved, self.in_history, self.allow_empty = resolved, in_history, allow_empty


def decide_all(stamps: Sequence[Stamp], hits: Sequence[Hits], *, named: Sequence[Named],
               rows: Sequence[list[RegistryRow]], reverts: RevertIndex,
               evidence: ShipEvidence, allow_empty: bool) -> list[ShipVerdict]:
    """One verdict per stamp, from facts fetched in a few batched calls."""
    names = [r.commit_sha for group in rows for r in group if r.commit_sha]
    resolved = evidence.resolve(names) if names else {}
    ancestry = evidence.in_history(list(resolved.values())) if resolved else set()
    all_hits = {c.sha: c for group in hits for _, c in group}
    files = evidence.files(list(all_hits.values())) if all_hits else {}
    facts = _Facts(ref=evidence.ref, files=files, reverts=reverts, resolved=resolved,
                   in_history=ancestry, allow_empty=allow_empty)
    verdicts: list[ShipVerdict | None] = [_registry(s, r, facts) for s, r in zip(
        stamps, rows, strict=True)]
    pending = [i for i, v in enumerate(verdicts) if v is None]
    effective = {i: _effective(stamps[i], hits[i], facts) for i in pending}
    for i in pending:
        verdicts[i] = _artifact_hit(stamps[i], effective[i][0], named[i][1], facts)
    needs = [i for i in pending if verdicts[i] is None and named[i][1]]
    paths = list(dict.fromkeys(p for i in needs for p in named[i][0]))
    touching = evidence.touching(paths) if paths else []
    for i in pending:
        if verdicts[i] is None:
            verdicts[i] = (_discovered(stamps[i], named[i], touching, facts) if i in needs
                           else None) or _fallback(stamps[i], rows[i], effective[i], facts)
    return [v for v in verdicts if v is not None]


def _verdict(stamp: Stamp, shipped: bool, source: str, grade: str = "none", *,
             sha: str = "", summary: str = "", rung: str = "") -> ShipVerdict:
    return ShipVerdict(stamp.query.plan, stamp.query.phase, shipped, source, grade,
                       sha=sha, summary=summary, rung=rung)


def _row_problem(row: RegistryRow, facts: _Facts) -> tuple[str, str]:
    """(full sha or "", why the row does not count) — an empty reason means it counts."""
    if not row.commit_sha:
        return "", "a registry row claims it but names no commit_sha; a claim is not evidence"
    full = facts.resolved.get(row.commit_sha, "")
    if not full:
        return "", (f"a registry row names commit {row.commit_sha[:12]}, which does not "
                    "exist in this repository")
    if full not in facts.in_history:
        return full, (f"a registry row names commit {full[:12]}, which is not in the "
                      f"history of {facts.ref}")
    canceller = facts.reverts.canceller(full)
    if canceller:
        return full, (f"a registry row names commit {full[:12]}, which was reverted by "
                      f"{canceller[:12]}")
    return full, ""


def _registry(stamp: Stamp, rows: list[RegistryRow], facts: _Facts) -> ShipVerdict | None:
    for row in rows:
        full, problem = _row_problem(row, facts)
        if not problem:
            return _verdict(stamp, True, "registry", "registry-verified", sha=full[:12],
                            summary=f"registry row verified: {full[:12]} is in the history "
                                    f"of {facts.ref}")
    return None


def _demotion(rung: str, commit: Commit, facts: _Facts) -> tuple[str, str]:
    canceller = facts.reverts.canceller(commit.sha)
    if canceller:
        return "reverted", f"reverted by {canceller[:12]}"
    files = facts.files.get(commit.sha, ())
    if not files and not facts.allow_empty:
        return "empty-commit", ("the commit changed no files; set [stamp] allow_empty = true "
                                "to count empty commits")
    if rung in (RELEASE_PREFIX, BODY_MENTION) and is_release_footprint(files):
        return "release-bump", ("release-bump/ledger-only commit; the phase is named in "
                                "release notes, not shipped by this commit")
    return "", ""


def _effective(stamp: Stamp, hits: Hits,
               facts: _Facts) -> tuple[Hits, ShipVerdict | None]:
    """The hits that still count, and the first demoted one as a not-shipped verdict."""
    kept: Hits = []
    demoted = None
    for rung, commit in hits:
        source, why = _demotion(rung, commit, facts)
        if not source:
            kept.append((rung, commit))
        elif demoted is None:
            demoted = _verdict(stamp, False, source, sha=commit.short, rung=rung,
                               summary=f"{rung_summary(rung, commit, stamp)} [demoted — {why}]")
    return kept, demoted


def _artifact_hit(stamp: Stamp, kept: Hits, distinctive: tuple[str, ...],
                  facts: _Facts) -> ShipVerdict | None:
    for _, commit in kept if distinctive else ():
        touched = touches(facts.files.get(commit.sha, ()), distinctive)
        if touched:
            return _verdict(stamp, True, "grep-artifact", "artifact", sha=commit.short,
                            rung=FILE_PATH, summary=f"{commit.short} {commit.subject} "
                                                    f"(touches {', '.join(touched)})")
    return None


def _discovered(stamp: Stamp, named: Named,
                touching: Sequence[tuple[Commit, tuple[str, ...]]],
                facts: _Facts) -> ShipVerdict | None:
    """An unstamped commit that changed the phase's files: two named files (one of them
    distinctive), or one distinctive file under a subject naming the plan."""
    series = stamp.query.plan.strip()
    all_named, distinctive = named
    for commit, files in touching:
        hit_named = touches(files, all_named)
        hit_distinctive = touches(files, distinctive)
        if not hit_distinctive or is_bookkeeping(commit.subject, stamp.grammar):
            continue
        if names_other_series(commit.subject, series) or facts.reverts.canceller(commit.sha):
            continue
        if len(hit_named) >= 2 or names_series(commit.subject, series):
            return _verdict(stamp, True, "grep-artifact", "artifact", sha=commit.short,
                            rung=FILE_PATH, summary=f"{commit.short} {commit.subject} "
                                                    f"(touches {', '.join(hit_named)})")
    return None


def _fallback(stamp: Stamp, rows: list[RegistryRow], effective: tuple[Hits, ShipVerdict | None],
              facts: _Facts) -> ShipVerdict:
    kept, demoted = effective
    if kept:
        rung, commit = kept[0]
        return _verdict(stamp, True, "grep-subject", "subject", sha=commit.short, rung=rung,
                        summary=rung_summary(rung, commit, stamp))
    for row in rows:
        full, problem = _row_problem(row, facts)
        return _verdict(stamp, False, "registry-unverified", sha=(full or row.commit_sha)[:12],
                        summary=problem)
    return demoted or _verdict(stamp, False, "none")
