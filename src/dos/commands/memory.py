"""dos memory {recall NAME | verify}: does an agent's memory still match the code?"""

from __future__ import annotations

import argparse

from dos.api import memory as api
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import emit, paint
from dos.truth.memory.ladder import GLOSS, MemoryVerdict
from dos.verdicts.memory import MemoryToken
from dos.workspace import load_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.api.memory_route import Routing

_EPILOG = """\
A note's claims are the files it names, the commits it cites and the code tokens it
places in a file. Each is checked against the working tree and git; a claim the
sentence denies ("foo.py was deleted", "does NOT import `x`") holds only if the thing
is really gone. A cited commit confirms a note only when it changed a file the note
names with it.

The store is Claude Code's memory directory for this project
(<config>/projects/<slug>/memory, <config> = $CLAUDE_CONFIG_DIR or ~/.claude, or the
autoMemoryDirectory setting), or --store DIR. Nothing is written, but by --route.

verify --route hands each STALE note to the operator's queue (`dos decisions`, a
MEMORY_STALE row naming the culprit claim and the ground truth), once: a sweep that
finds the same thing again adds nothing, and closes (journaled) the routed row of a
note that is no longer STALE, is gone, or is stale for another reason (which is
routed anew). UNVERIFIABLE notes are never routed: an opinion cannot be contradicted.
The route is one store transaction (the store is created as by any writing verb);
the MCP tool dos_memory never routes, it only reads.

examples:
  dos memory verify                   every note, worst first (exit 3 if any is STALE)
  dos memory verify --route           ... and hand the STALE ones to `dos decisions`
  dos memory recall parser-notes      one note by file name or front-matter name
  dos memory recall parser-notes --explain --json

exit codes: 0 FRESH or UNVERIFIABLE, 3 STALE (recall, and verify when any note is,
with or without --route), 2 no store found, no such note, a name that is a path, or
--route with recall; 74 (75 busy) the store cannot take the route, which wrote nothing
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
    recall.add_argument("--route", action="store_true", help=argparse.SUPPRESS)
    verify = actions.add_parser("verify", help="check every note of the store (exit 3 when "
                                               "any is STALE)")
    _store_flag(verify)
    verify.add_argument("--route", action="store_true",
                        help="hand each STALE note to `dos decisions` (once; closes the "
                             "rows of notes no longer STALE); UNVERIFIABLE ones never")


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


def _route_text(routing: Routing) -> str:
    raised, settled, kept = routing.raised, routing.settled, routing.kept
    if not (raised or settled or kept):
        return "\n  → dos decisions: nothing to route (no STALE note, no open routed row)"
    lines = ["", f"  → dos decisions: {len(raised)} routed, {len(settled)} closed, "
                 f"{len(kept)} already routed (unchanged)"]
    lines += [f"      routed  {r.handle}  {r.finding.memory}  {r.finding.claim[:60]!r} → "
              f"{r.finding.ground_truth[:80]}" for r in raised]
    lines += [f"      closed  {item.routed.handle}  {item.why}" for item, _seq in settled]
    return "\n".join(lines)


def _verify(config: SubstrateConfig, store: str | None, output: str, route: bool) -> int:
    sweep = api.verify(config, store=store)
    if not route:
        emit(api.sweep_json(sweep), output=output,
             text=lambda color: _sweep_text(sweep, color))
        return sweep.exit_code
    from dos.api import memory_route

    routing = memory_route.route(config, sweep)
    emit(memory_route.routing_json(sweep, routing), output=output,
         text=lambda color: _sweep_text(sweep, color) + _route_text(routing))
    return sweep.exit_code


def run(*, action: str, store: str | None, workspace: str | None, driver: str | None,
        output: str, name: str = "", explain: bool = False, route: bool = False) -> int:
    if action == "recall" and route:
        raise UsageError("--route hands a sweep's STALE notes to `dos decisions`; it goes "
                         "with verify, not recall", hint="dos memory verify --route")
    config = load_config(workspace, driver)
    if action == "recall":
        verdict = api.recall(config, name, store=store)
        emit(api.recall_json(verdict, explain=explain), output=output,
             text=lambda color: _recall_text(verdict, explain, color))
        return verdict.token.exit_code
    return _verify(config, store, output, route)
