"""dos memory {recall NAME | verify}: does an agent's memory still match the code?"""

from __future__ import annotations

import argparse

from dos.api import memory as api
from dos.render import emit, paint
from dos.truth.memory.ladder import GLOSS, MemoryVerdict
from dos.verdicts.truth import MemoryToken
from dos.workspace import load_config

_EPILOG = """\
A note's claims are the files it names, the commits it cites and the code tokens it
places in a file. Each is checked against the working tree and git; a claim the
sentence denies ("foo.py was deleted", "does NOT import `x`") holds only if the thing
is really gone. A cited commit confirms a note only when it changed a file the note
names with it.

The store is Claude Code's memory directory for this project
(<config>/projects/<slug>/memory, <config> = $CLAUDE_CONFIG_DIR or ~/.claude, or the
autoMemoryDirectory setting), or --store DIR. Nothing is written.

examples:
  dos memory verify                   every note, worst first (exit 3 if any is STALE)
  dos memory recall parser-notes      one note by file name or front-matter name
  dos memory recall parser-notes --explain --json

exit codes: 0 FRESH or UNVERIFIABLE, 3 STALE (recall, and verify when any note is),
2 no store found, no such note, or a name that is a path
"""

_LABELS = {MemoryToken.FRESH: "FRESH", MemoryToken.STALE: "STALE",
           MemoryToken.UNVERIFIABLE: "UNVERIFIABLE"}
_COLORS = {MemoryToken.FRESH: "green", MemoryToken.STALE: "red",
           MemoryToken.UNVERIFIABLE: "yellow"}


def _store_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default=None, metavar="DIR",
                        help="the directory of memory notes (default: the host's memory "
                             "directory for this workspace)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(dest="action", required=True, metavar="{recall,verify}")
    recall = actions.add_parser("recall", help="check one note (exit 3 when STALE)")
    recall.add_argument("name", help="the note's file name (with or without .md) or the "
                                     "name in its front matter")
    recall.add_argument("--explain", action="store_true",
                        help="add what the verdict means and every claim's check")
    _store_flag(recall)
    verify = actions.add_parser("verify", help="check every note of the store (exit 3 when "
                                               "any is STALE)")
    _store_flag(verify)


def _label(token: MemoryToken, color: bool, width: int = 0) -> str:
    return paint(_LABELS[token].ljust(width), "bold", _COLORS[token], enabled=color)


def _recall_text(verdict: MemoryVerdict, explain: bool, color: bool) -> str:
    lines = [f"{_label(verdict.token, color)}  {verdict.note.name}", f"  {verdict.reason}"]
    if explain:
        lines.append(f"  → {GLOSS[verdict.token]}")
        lines += [f"    {check.status.value:<11} {check.claim.raw!r} → {check.ground_truth}"
                  for check in verdict.checks]
    return "\n".join(lines)


def _sweep_text(sweep: api.Sweep, color: bool) -> str:
    counts = "  ".join(f"{_LABELS[token]}:{sweep.count(token)}" for token in
                       (MemoryToken.STALE, MemoryToken.UNVERIFIABLE, MemoryToken.FRESH))
    lines = [f"# recall sweep — {len(sweep.verdicts)} memories  ·  {counts}"]
    for verdict in sweep.verdicts:
        if verdict.token is MemoryToken.FRESH:
            continue
        lines.append(f"  {_label(verdict.token, color, 12)}  {verdict.note.name}")
        if verdict.culprit is not None:
            lines.append(f"      {verdict.culprit.claim.raw[:60]!r} → "
                         f"{verdict.culprit.ground_truth[:80]}")
    return "\n".join(lines)


def run(*, action: str, store: str | None, workspace: str | None, driver: str | None,
        output: str, name: str = "", explain: bool = False) -> int:
    config = load_config(workspace, driver)
    if action == "recall":
        verdict = api.recall(config, name, store=store)
        emit(api.recall_json(verdict, explain=explain), output=output,
             text=lambda color: _recall_text(verdict, explain, color))
        return verdict.token.exit_code
    sweep = api.verify(config, store=store)
    emit(api.sweep_json(sweep), output=output, text=lambda color: _sweep_text(sweep, color))
    return sweep.exit_code
