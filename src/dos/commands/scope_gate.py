"""dos scope-gate: are the touched files inside the lane's tree? (ALLOW / REFUSE)"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from dos.errors import UsageError

_EPILOG = """\
examples:
  dos scope-gate --lane src                    # working tree + index + untracked vs HEAD
  dos scope-gate --lane src --staged           # only what is staged
  dos scope-gate --lane src --base main        # the commits main..HEAD
  dos scope-gate --lane src --file src/a.py --file docs/b.md

Exit: 0 ALLOW (IN_SCOPE), 5 SCOPE_CREEP, 6 WRONG_TARGET, 2 usage or git error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Check that every touched file lies inside the lane's tree."
    parser.epilog = _EPILOG
    parser.add_argument("--lane", default="", help="the lane (or alias) whose tree bounds "
                        "the writes (required)")
    parser.add_argument("--file", action="append", default=[], metavar="PATH",
                        help="a touched file (repeatable); replaces asking git")
    parser.add_argument("--staged", action="store_true",
                        help="judge only the staged changes (index vs HEAD)")
    parser.add_argument("--base", default=None, metavar="REF",
                        help="judge the commits BASE..HEAD instead of the working tree")
    parser.add_argument("--head", default=None, metavar="REF",
                        help="the end of the range with --base (default: HEAD)")
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")


def _touched(root: Any, files: list[str], staged: bool, base: str | None,
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


def _lane_tree(config: Any, lane: str) -> tuple[str, tuple[str, ...], str]:
    """The canonical lane, its tree, and a note when the lane is not declared."""
    from dos.admission.tree import normalize_tree

    resolved = config.lanes.resolve(lane)
    if resolved is None:
        known = ", ".join(sorted(config.lanes.declared())) or "(none)"
        return lane, (), f"lane '{lane}' is not declared in this workspace (known: {known})"
    return resolved, normalize_tree(config.lanes.tree_for(resolved)), ""


def run(*, lane: str, file: list[str], staged: bool, base: str | None, head: str | None,
        pretty: bool, workspace: str | None, driver: str | None, output: str,
        **_: object) -> int:
    from dos.admission.scope import ScopeEvidence, ScopeVerdict, classify
    from dos.verdicts.admission import ScopeToken
    from dos.workspace import load_config

    if not lane.strip():
        raise UsageError("scope-gate needs --lane", hint="pass the lane the writes belong to, "
                         "e.g. --lane src (`dos man lane` lists them)")
    config = load_config(workspace, driver)
    canonical, tree, problem = _lane_tree(config, lane.strip())
    touched = _touched(config.root, file, staged, base, head)
    evidence = ScopeEvidence(lane=canonical, touched_files=touched, lane_tree=tree)
    if problem:
        verdict = ScopeVerdict(ScopeToken.WRONG_TARGET, f"{problem} — cannot certify "
                               f"{len(touched)} touched file(s)", evidence,
                               out_of_scope_files=touched)
    else:
        verdict = classify(evidence)
    _emit(verdict, output, pretty)
    return verdict.exit_code


def _emit(verdict: Any, output: str, pretty: bool) -> None:
    from dos.render import dumps

    if output == "json":
        payload = verdict.to_dict()
        print(json.dumps(payload, sort_keys=True, ensure_ascii=True, indent=2) if pretty
              else dumps(payload))
    elif verdict.allowed:
        print(f"ALLOW: write ALLOWED — {verdict.reason}")
    else:
        print(f"REFUSE: write REFUSED ({verdict.verdict.value}) — {verdict.reason}")
