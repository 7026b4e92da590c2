"""The scope gate: are the touched files inside the lane's tree? Pure.

``classify(evidence, policy)`` says IN_SCOPE, SCOPE_CREEP (some files outside the
tree) or WRONG_TARGET (nothing inside it, or no tree to judge by). Shared-infra
files such as ``__init__.py`` are tolerated only at the repository root or inside
a directory the lane's own tree names, never anywhere in the repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.admission.tree import is_glob, matches
from dos.structs import struct
from dos.verdicts.scope import ScopeToken

__all__ = ["SHARED_INFRA_BASENAMES", "ScopeEvidence", "ScopePolicy", "ScopeVerdict", "classify"]

SHARED_INFRA_BASENAMES = (
    "config.py", "__init__.py", "settings.py", "constants.py", "cli.py", "conftest.py",
    "pyproject.toml", "setup.py", "setup.cfg",
)
_LISTED = 5


@struct
class ScopeEvidence:
    """The lane, its tree (normalised globs) and the touched files (workspace-relative)."""

    lane: str
    touched_files: tuple[str, ...]
    lane_tree: tuple[str, ...]


@struct
class ScopePolicy:
    """How forgiving the gate is: tolerated shared-infra names and a creep allowance."""

    allow_shared_infra: bool = True
    creep_tolerance: int = 0
    shared_infra: tuple[str, ...] = SHARED_INFRA_BASENAMES


@struct
class ScopeVerdict:
    """The verdict with the files on each side of the line."""

    verdict: ScopeToken
    reason: str
    evidence: ScopeEvidence
    in_scope_files: tuple[str, ...] = ()
    out_of_scope_files: tuple[str, ...] = ()
    tolerated_files: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.verdict is ScopeToken.IN_SCOPE

    @property
    def exit_code(self) -> int:
        return self.verdict.exit_code

    def to_dict(self) -> dict[str, Any]:
        evidence = self.evidence
        return {
            "allowed": self.allowed, "verdict": self.verdict.value, "reason": self.reason,
            "refused_files": [] if self.allowed else list(self.out_of_scope_files),
            "scope": {
                "verdict": self.verdict.value, "reason": self.reason,
                "in_scope_files": list(self.in_scope_files),
                "out_of_scope_files": list(self.out_of_scope_files),
                "tolerated_files": list(self.tolerated_files),
                "evidence": {"lane": evidence.lane,
                             "touched_files": sorted(evidence.touched_files),
                             "lane_tree": list(evidence.lane_tree)},
            },
        }


def _listing(files: Sequence[str]) -> str:
    shown = ", ".join(files[:_LISTED])
    return f"{shown} …" if len(files) > _LISTED else shown


def _lane_dirs(tree: Sequence[str]) -> tuple[str, ...]:
    """The literal directories the lane's globs live in (``src/api/*.py`` → ``src/api``)."""
    dirs = []
    for glob in tree:
        parts = glob.split("/")
        literal = []
        for part in parts[:-1]:
            if is_glob(part):
                break
            literal.append(part)
        if literal:
            dirs.append("/".join(literal).casefold())
    return tuple(dirs)


def _tolerated(path: str, dirs: Sequence[str], policy: ScopePolicy) -> bool:
    if not policy.allow_shared_infra:
        return False
    folded = path.casefold()
    directory, _, name = folded.rpartition("/")
    if name not in {item.casefold() for item in policy.shared_infra}:
        return False
    return not directory or any(directory == d or directory.startswith(d + "/") for d in dirs)


def classify(evidence: ScopeEvidence, policy: ScopePolicy | None = None) -> ScopeVerdict:
    """Judge the touched files against the lane's tree."""
    policy = policy or ScopePolicy()
    files = tuple(dict.fromkeys(evidence.touched_files))
    lane = evidence.lane or "(none)"
    if not files:
        return ScopeVerdict(ScopeToken.IN_SCOPE, "empty footprint — no files touched, "
                            "nothing to judge", evidence)
    if not evidence.lane_tree:
        return ScopeVerdict(ScopeToken.WRONG_TARGET, f"lane {lane} declares no tree — cannot "
                            f"certify containment of {len(files)} touched file(s) (unknown "
                            "blast radius)", evidence, out_of_scope_files=files)
    inside = tuple(f for f in files if any(matches(f, glob) for glob in evidence.lane_tree))
    outside = tuple(f for f in files if f not in inside)
    dirs = _lane_dirs(evidence.lane_tree)
    tolerated = tuple(f for f in outside if _tolerated(f, dirs, policy))
    genuine = tuple(f for f in outside if f not in tolerated)
    if len(genuine) > policy.creep_tolerance:
        token = ScopeToken.SCOPE_CREEP if inside else ScopeToken.WRONG_TARGET
        what = "outside" if inside else "and none inside"
        return ScopeVerdict(token, f"{len(genuine)} of {len(files)} touched file(s) {what} "
                            f"lane {lane}'s tree: {_listing(genuine)}", evidence,
                            inside, genuine, tolerated)
    note = (f" ({len(outside)} shared-infra/tolerated file(s) outside the tree, not counted "
            "as creep)") if outside else ""
    return ScopeVerdict(ScopeToken.IN_SCOPE, f"all {len(inside)} touched file(s) fall inside "
                        f"lane {lane}'s tree{note}", evidence, inside, outside, tolerated)
