"""Is every touched file inside the lane's tree? (``dos scope-gate``)"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict, cast

from dos.admission.scope import ScopeVerdict
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import with_schema

__all__ = ["ScopeJSON", "check_lane", "scope_gate", "scope_json"]


class ScopeJSON(TypedDict):
    """``dos scope-gate --json``."""

    allowed: bool
    verdict: str
    reason: str
    refused_files: list[str]
    scope: dict[str, Any]
    schema: dict[str, Any]


def _touched(root: Path, files: Sequence[str], staged: bool, base: str | None,
             head: str | None) -> tuple[str, ...]:
    from dos.admission.tree import normalize_path

    if files:
        if staged or base or head:
            raise UsageError("--file cannot be combined with --staged, --base or --head",
                             hint="either list the files or let git find them")
        cleaned = (normalize_path(path, root, resolve=os.path.realpath) for path in files)
        return tuple(dict.fromkeys(cleaned))
    from dos.git.worktree import changed_files

    return changed_files(root, staged=staged, base=base, head=head)


def _lane_tree(config: SubstrateConfig, lane: str) -> tuple[str, tuple[str, ...]]:
    """The declared lane ``lane`` means and its tree (UsageError for an undeclared one)."""
    from dos.admission.declared import declared_lane
    from dos.admission.tree import normalize_tree

    resolved = declared_lane(config, lane)
    return resolved, normalize_tree(config.lanes.tree_for(resolved))


def check_lane(lane: str) -> None:
    """A lane is named (checked before the workspace is looked for)."""
    if not lane.strip():
        raise UsageError("scope-gate needs --lane", hint="pass the lane the writes belong to, "
                         "e.g. --lane src (`dos man lane` lists them)")


def scope_gate(config: SubstrateConfig, *, lane: str, files: Sequence[str] = (),
               staged: bool = False, base: str | None = None,
               head: str | None = None) -> ScopeVerdict:
    """Are the touched files inside ``lane``'s tree? ``files`` replaces asking git for
    the working tree (or the index with ``staged``, or the commits ``base..head``)."""
    from dos.admission.scope import ScopeEvidence, classify

    check_lane(lane)
    canonical, tree = _lane_tree(config, lane.strip())
    touched = _touched(config.root, files, staged, base, head)
    return classify(ScopeEvidence(lane=canonical, touched_files=touched, lane_tree=tree))


def scope_json(verdict: ScopeVerdict) -> ScopeJSON:
    return cast(ScopeJSON, with_schema(verdict.to_dict(), "scope-gate"))
