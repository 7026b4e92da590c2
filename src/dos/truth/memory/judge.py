"""What the working tree and git say about one claim: confirmed, contradicted or unknown.

Pure: the facts are gathered at the edge (files, ``git``) and handed in.
"""

from __future__ import annotations

from enum import StrEnum

from dos.structs import struct
from dos.truth.memory.claims import Claim, Kind, Polarity

__all__ = ["Check", "CommitFacts", "FileFacts", "Status", "TokenFacts", "judge_claim"]


class Status(StrEnum):
    CONFIRMS = "CONFIRMS"
    CONTRADICTS = "CONTRADICTS"
    UNKNOWN = "UNKNOWN"


@struct
class FileFacts:
    """Where a named file resolves: ``found`` paths (one for a full path; every match for
    a bare name), and for a missing one the commit that removed it, if git knows."""

    found: tuple[str, ...] = ()
    removed_by: tuple[str, str] | None = None  # (sha, subject)


@struct
class TokenFacts:
    """A code token in its file: the file's facts, then code and comment occurrences
    summed over every file the name matched, and how many of those hold it as code."""

    file: FileFacts
    code: int = 0
    comment: int = 0
    readable: bool = True
    files_with_code: int = 0


@struct
class CommitFacts:
    """``sha`` is empty when no commit of this repository has that name."""

    sha: str = ""
    subject: str = ""
    in_head: bool = False
    touched: tuple[str, ...] = ()


@struct
class Check:
    claim: Claim
    status: Status
    ground_truth: str
    source: str  # stat | grep | ancestry | none


Facts = FileFacts | TokenFacts | CommitFacts | None


def _removal(facts: FileFacts) -> str:
    if facts.removed_by is None:
        return ""
    sha, subject = facts.removed_by
    return f"; removed by {sha[:12]} ({subject!r})"


def _path(claim: Claim, facts: FileFacts) -> Check:
    shown = ", ".join(facts.found[:3]) + (" …" if len(facts.found) > 3 else "")
    if claim.polarity is Polarity.NEUTRAL:
        return Check(claim, Status.UNKNOWN, "the note does not say whether it exists", "none")
    present = claim.polarity is Polarity.PRESENT
    if facts.found:
        status = Status.CONFIRMS if present else Status.CONTRADICTS
        return Check(claim, status, f"{claim.raw} exists ({shown})", "stat")
    status = Status.CONTRADICTS if present else Status.CONFIRMS
    return Check(claim, status, f"{claim.raw} is absent{_removal(facts)}", "stat")


def _token(claim: Claim, facts: TokenFacts) -> Check:
    target = claim.target_file or ""
    if not facts.readable:
        return Check(claim, Status.UNKNOWN, f"{target} could not be read", "none")
    present = claim.polarity is Polarity.PRESENT
    if not facts.file.found:
        status = Status.CONTRADICTS if present else Status.CONFIRMS
        return Check(claim, status, f"named file {target} is absent{_removal(facts.file)}",
                     "stat")
    if len(facts.file.found) > 1:
        return _among(claim, facts)
    where = facts.file.found[0]
    if facts.code:
        status = Status.CONFIRMS if present else Status.CONTRADICTS
        return Check(claim, status, f"present as code in {where} ({facts.code} "
                                    "occurrence(s))", "grep")
    only = "; only inside a comment/docstring" if facts.comment else ""
    status = Status.CONTRADICTS if present else Status.CONFIRMS
    return Check(claim, status, f"not present as code in {where}{only}", "grep")


def _among(claim: Claim, facts: TokenFacts) -> Check:
    """A bare file name several files answer to: the claim holds for some, all or none."""
    count, holding = len(facts.file.found), facts.files_with_code
    said = f"present as code in {holding} of the {count} files named {claim.target_file}"
    if claim.polarity is Polarity.PRESENT:
        return Check(claim, Status.CONFIRMS if holding else Status.CONTRADICTS, said, "grep")
    status = Status.CONFIRMS if not holding else (
        Status.CONTRADICTS if holding == count else Status.UNKNOWN)
    return Check(claim, status, said, "grep")


def _commit(claim: Claim, facts: CommitFacts) -> Check:
    if not facts.sha:
        return Check(claim, Status.UNKNOWN, f"{claim.raw} names no commit of this repository",
                     "ancestry")
    said = f"{facts.sha[:12]} ({facts.subject!r})"
    if claim.polarity is Polarity.ABSENT:
        status = Status.CONTRADICTS if facts.in_head else Status.CONFIRMS
        where = "is" if facts.in_head else "is not"
        return Check(claim, status, f"{said} {where} in HEAD's history", "ancestry")
    if not facts.in_head:
        status = Status.CONTRADICTS if claim.polarity is Polarity.SHIPPED else Status.UNKNOWN
        return Check(claim, status, f"{said} is NOT in HEAD's history (orphaned, dropped or "
                                    "rebased away)", "ancestry")
    named = [f.strip() for f in (claim.target_file or "").split(",") if f.strip()]
    if not named:
        return Check(claim, Status.UNKNOWN, f"{said} is in HEAD's history, but the note names "
                                            "no file it changed", "ancestry")
    touched = [f for f in named if any(p == f or p.endswith("/" + f) for p in facts.touched)]
    if touched:
        return Check(claim, Status.CONFIRMS, f"{said} is in HEAD's history and changed "
                                             f"{', '.join(touched)}", "git")
    return Check(claim, Status.CONTRADICTS, f"{said} did not change {', '.join(named)}", "git")


def judge_claim(claim: Claim, facts: Facts) -> Check:
    """The check of ``claim`` against ``facts`` (None: nothing could be gathered)."""
    if claim.kind is Kind.PATH and isinstance(facts, FileFacts):
        return _path(claim, facts)
    if claim.kind is Kind.CODE_TOKEN and isinstance(facts, TokenFacts):
        return _token(claim, facts)
    if claim.kind is Kind.SHA and isinstance(facts, CommitFacts):
        return _commit(claim, facts)
    return Check(claim, Status.UNKNOWN, "could not be checked here", "none")
