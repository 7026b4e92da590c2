"""Does a commit's subject claim what its diff shows? Claim kind vs the files touched.

Pure: :func:`audit` takes a :class:`~dos.truth.commits.CommitDiff` and returns an
:class:`AuditVerdict`; :func:`sweep` folds many into a drift rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dos.structs import field, struct
from dos.truth.commits import CommitDiff
from dos.truth.file_classes import is_ci_config, is_config_or_data, is_source, is_test
from dos.verdicts.audit import AuditToken

__all__ = ["ABSTAIN", "OK", "UNWITNESSED", "AuditVerdict", "Sweep", "audit", "classify_claim",
           "overall", "sweep"]

OK, UNWITNESSED, ABSTAIN = "OK", "CLAIM_UNWITNESSED", "ABSTAIN"
CODE, TEST, DOC, NONE = "code_effect", "test", "doc", "none"

_NO_CLAIM = frozenset({"wip", "misc", "cleanup", "chore", "bump", "version", "release",
                       "merge", "revert", "format", "lint", "whitespace", "style", "nit",
                       "nits", "reapply"})
_NO_CLAIM_PHRASES = ("address review", "review feedback", "rename variable")
_TEST_PHRASES = ("tests pass", "test pass", "tests green", "all tests", "passing tests",
                 "tests passing", "green build", "fix the test", "fix failing test",
                 "fix the failing test", "fixes the test")
_TEST_LEADS = frozenset({"test", "tests", "testing", "coverage", "assertion", "assertions",
                         "spec", "specs"})
_TEST_WINDOW = frozenset({"test", "tests", "testing", "spec", "specs", "coverage"})
_DOC_LEADS = frozenset({"doc", "docs", "documentation", "readme", "comment", "comments",
                        "typo", "changelog", "wording", "rephrase", "clarify"})
_CODE_LEADS = frozenset({
    "fix", "fixes", "fixed", "add", "adds", "added", "implement", "implements", "implemented",
    "remove", "removes", "removed", "delete", "optimize", "optimise", "refactor", "rename",
    "move", "support", "handle", "resolve", "resolves", "patch", "correct", "introduce",
    "enable", "disable", "drop", "migrate", "upgrade", "downgrade", "wire", "hook"})
_DOC_NAMES = frozenset({"readme", "claude.md", "claude", "license", "contributing",
                        "changelog", "authors", "notice"})
# The first leading word found here decides the claim kind.
_LEAD_KINDS = {**dict.fromkeys(_CODE_LEADS, CODE), **dict.fromkeys(_DOC_LEADS, DOC),
               **dict.fromkeys(_TEST_LEADS, TEST), **dict.fromkeys(_NO_CLAIM, NONE)}
_WORD = re.compile(r"[a-z']+")
_CONVENTIONAL = re.compile(r"^([a-z]+)(?:\(([^)]*)\))?!?$")


@struct
class AuditVerdict:
    """One commit's verdict: ``OK`` / ``CLAIM_UNWITNESSED`` / ``ABSTAIN`` and why."""

    sha: str
    verdict: str
    claim_kind: str
    witness: str
    reason: str
    source_files: tuple[str, ...] = ()
    test_files: tuple[str, ...] = ()
    ci_files: tuple[str, ...] = ()
    config_files: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in vars(self).items()}


def _scope(subject: str) -> tuple[str, str] | None:
    head, colon, rest = subject.partition(":")
    if colon and len(head) < 30 and " " not in head.strip() and head.strip():
        return head.strip(), rest
    return None


def _doc_scope(head: str) -> bool:
    lowered = head.lower()
    last = lowered.rsplit("/", 1)[-1]
    return (len(head) < 40 and (lowered.endswith((".md", ".rst", ".txt", ".adoc", ".org"))
            or lowered.startswith(("docs/", "doc/")) or last in _DOC_NAMES))


def _leads_and_window(subject: str) -> tuple[list[str], list[str]]:
    scoped = _scope(subject)
    text = scoped[1] if scoped else subject
    window = _WORD.findall(text.lower())[:8]
    if scoped:
        head_words = _WORD.findall(scoped[0].lower())
        return head_words[:1] + window[:1], window
    return window[:1], window


def classify_claim(subject: str) -> str:
    """What kind of claim a subject makes: ``code_effect``, ``test``, ``doc`` or ``none``.

    The claim is read from the words that lead the subject; a no-claim word deep in
    the text (``implement auth (wip)``) does not cancel a leading verb."""
    text = subject.strip().lower()
    if not text:
        return NONE
    scoped = _scope(subject.strip())
    if scoped and _doc_scope(scoped[0]):
        return DOC
    leads, window = _leads_and_window(subject.strip())
    if any(phrase in " ".join(window) for phrase in _NO_CLAIM_PHRASES):
        return NONE
    tests_named = any(p in text for p in _TEST_PHRASES) or bool(_TEST_WINDOW & set(window[:3]))
    kind = next((_LEAD_KINDS[lead] for lead in leads if lead in _LEAD_KINDS), None)
    if kind in (None, CODE) and tests_named:
        return TEST
    return kind or NONE


def _ci_scoped(subject: str) -> bool:
    scoped = _scope(subject)
    match = _CONVENTIONAL.match(scoped[0].lower()) if scoped else None
    return match is not None and "ci" in (match.group(1), match.group(2))


@struct
class _Touched:
    source: tuple[str, ...]
    tests: tuple[str, ...]
    ci: tuple[str, ...]
    config: tuple[str, ...]


def _touched(diff: CommitDiff) -> _Touched:
    paths = diff.paths
    tests = tuple(p for p in paths if is_test(p))
    # a test file (or its fixture data) is no witness of an effect in the product
    product = [p for p in paths if p not in tests]
    return _Touched(tuple(p for p in product if is_source(p)), tests,
                    tuple(p for p in product if is_ci_config(p)),
                    tuple(p for p in product if is_config_or_data(p)))


def _verdict(diff: CommitDiff, kind: str, touched: _Touched, verdict: str,
             reason: str) -> AuditVerdict:
    witness = {OK: "diff-witnessed", UNWITNESSED: "subject-only", ABSTAIN: "abstain"}[verdict]
    return AuditVerdict(diff.commit.short, verdict, kind, witness, reason, touched.source,
                        touched.tests, touched.ci, touched.config)


def _test_verdict(diff: CommitDiff, touched: _Touched, leads: list[str]) -> tuple[str, str]:
    if not touched.tests:
        return UNWITNESSED, "claims tests but the diff touches no test file"
    counted = [c for c in diff.changes if c.path in touched.tests and c.added is not None]
    added = sum(c.added or 0 for c in counted)
    removed = sum(c.removed or 0 for c in counted)
    if counted and removed > added and not {"rename", "move", "moved", "renamed"} & set(leads):
        return UNWITNESSED, (f"claims tests but net-DELETES test lines (+{added}/-{removed}) "
                             "— the delete-the-assertion shape")
    return OK, "test claim witnessed by a touched test file"


def _shown(paths: Sequence[str]) -> str:
    return ", ".join(paths[:4]) + (", …" if len(paths) > 4 else "")


def _code_witness(diff: CommitDiff, touched: _Touched) -> str | None:
    """Why the diff witnesses a code-effect claim, or None."""
    if touched.source:
        return "code-effect claim witnessed by a touched source file"
    if touched.ci and _ci_scoped(diff.commit.subject):
        return ("ci-scoped claim witnessed by the CI config it names (the scope is where "
                "the claimed effect lives)")
    if touched.config:
        return "code-effect claim witnessed by a touched configuration or data file"
    return None


def _code_verdict(diff: CommitDiff, touched: _Touched, docs_ok: bool) -> tuple[str, str]:
    witness = _code_witness(diff, touched)
    if witness:
        return OK, witness
    if not diff.changes:
        return UNWITNESSED, "code-effect claim but the commit is EMPTY (touched no files)"
    if len(touched.tests) == len(diff.paths):
        return UNWITNESSED, (f"code-effect claim but the diff touches only test files "
                             f"({_shown(touched.tests)}) — no source file changed")
    if docs_ok:
        return OK, "code claim; docs_satisfy_code_claim policy accepts doc-only diff"
    return UNWITNESSED, (f"code-effect claim but the diff touches no SOURCE file (only: "
                         f"{_shown(diff.paths)}) — the claim rests on the subject text")


def audit(diff: CommitDiff, *, docs_ok: bool = False) -> AuditVerdict:
    """Judge one commit: does its diff witness the kind of claim its subject makes?"""
    kind = classify_claim(diff.commit.subject)
    touched = _touched(diff)
    if kind == NONE:
        return _verdict(diff, kind, touched, ABSTAIN, "subject makes no checkable code/test claim")
    if kind == DOC:
        if not diff.changes:
            return _verdict(diff, kind, touched, UNWITNESSED,
                            "doc claim but the commit is empty (touched nothing)")
        return _verdict(diff, kind, touched, OK, "doc claim, the commit touches files (doc "
                        "scope, no code over-claim)")
    if kind == TEST:
        leads, _ = _leads_and_window(diff.commit.subject)
        return _verdict(diff, kind, touched, *_test_verdict(diff, touched, leads))
    return _verdict(diff, kind, touched, *_code_verdict(diff, touched, docs_ok))


def overall(verdicts: Sequence[AuditVerdict]) -> AuditToken:
    """``unwitnessed`` if any commit's claim is not witnessed by its diff."""
    return AuditToken.UNWITNESSED if any(v.verdict == UNWITNESSED for v in verdicts) \
        else AuditToken.CLEAN


@struct
class Sweep:
    """Counts over a range, and the drift rate unwitnessed / checkable."""

    commits: int
    checkable: int
    abstained: int
    witnessed: int
    unwitnessed: int
    drift_rate: float
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    unwitnessed_shas: tuple[str, ...] = ()


def sweep(verdicts: Sequence[AuditVerdict]) -> Sweep:
    """Fold per-commit verdicts into counts per claim kind and a drift rate."""
    by_kind: dict[str, dict[str, int]] = {}
    names = {OK: "witnessed", UNWITNESSED: "unwitnessed", ABSTAIN: "abstain"}
    for verdict in verdicts:
        counts = by_kind.setdefault(verdict.claim_kind,
                                    {"unwitnessed": 0, "witnessed": 0, "abstain": 0})
        counts[names[verdict.verdict]] += 1
    witnessed = sum(v.verdict == OK for v in verdicts)
    unwitnessed = sum(v.verdict == UNWITNESSED for v in verdicts)
    checkable = witnessed + unwitnessed
    return Sweep(len(verdicts), checkable, len(verdicts) - checkable, witnessed, unwitnessed,
                 unwitnessed / checkable if checkable else 0.0, by_kind,
                 tuple(v.sha for v in verdicts if v.verdict == UNWITNESSED))
