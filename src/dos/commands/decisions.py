"""dos decisions: what is waiting on the operator, and a journaled answer to one of them."""

from __future__ import annotations

import argparse

from dos.errors import UsageError

_EPILOG = """\
examples:
  dos decisions                          what waits on a human, most urgent first
  dos decisions --all                    every row (backpressure, oracle) and recent history
  dos decisions show 2                   one row in full: evidence, source, actions
  dos decisions resolve 2 --approve --owner alice     approve: prints the command to run
  dos decisions resolve h3f9a1c2b7e --dismiss --note "known flake"

Rows: halt proposals (dos watch, dos halt), restart-intensity escalations (dos loop),
refusals (dos lease-lane acquire and dos arbitrate), leases past their TTL never
released, plan over-claims, and stale memory notes (dos memory verify --route).
Resolvers: HUMAN rows are shown by default; JUDGE, BACKPRESSURE and ORACLE rows settle
without you (--all shows them). Numbers rank HUMAN rows first, so they agree between
the two views; a handle names a row for good.
resolve journals a DECIDE record (who: --owner, else $DOS_OWNER); the row leaves the
queue and `--all` keeps it in the history. dos never runs the approved command.

On a terminal the queue opens in the desk app (the [tui] extra): enter shows a row, a
approves and x dismisses it after a confirmation (as --owner, else $DOS_OWNER), e shows
every resolver, t/p switch to top/plan, q quits. --once (--no-tui), --json, --output
plain, a pipe or keys not from a terminal print one frame.

exit codes: 0 shown or resolved (a non-empty queue is not an error), 2 usage (a row
not in the queue included), 74 the store cannot be read"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "The operator's decisions queue, from the store."
    parser.epilog = _EPILOG
    parser.add_argument("words", nargs="*", metavar="[show|resolve] N",
                        help="N alone or `show N`: one row in full; `resolve N`: decide it "
                        "(N: the row's # or its handle)")
    parser.add_argument("--all", dest="everything", action="store_true",
                        help="every row, not only those waiting on a human, and the history")
    parser.add_argument("--since", default=None, metavar="WHEN",
                        help="the window read: epoch ms, ISO-8601 or an age (default 24h)")
    parser.add_argument("--once", "--no-tui", dest="once", action="store_true",
                        help="print one plain frame and exit (what a script or a pipe gets)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--approve", action="store_true",
                        help="with resolve: accept the row's proposal (prints its command)")
    choice.add_argument("--dismiss", action="store_true",
                        help="with resolve: decide the row needs nothing")
    parser.add_argument("--note", default="", help="with resolve: why, kept in the journal")
    parser.add_argument("--owner", default="", help="with resolve, or a/x in the app: who "
                        "decides (default: $DOS_OWNER)")


def _parse(words: list[str], *, deciding: bool) -> tuple[str, str]:
    """``(action, target)``: list, show or resolve."""
    if not words:
        if deciding:
            raise UsageError("--approve, --dismiss and --note go with `resolve N`",
                             hint="dos decisions resolve N --approve (or --dismiss)")
        return "list", ""
    action, rest = ("show", words) if words[0] not in ("show", "resolve") else \
        (words[0], words[1:])
    if len(rest) != 1:
        raise UsageError(f"`dos decisions {action}` takes one row (its # or handle)",
                         hint=f"dos decisions {action} N; `dos decisions` lists the rows")
    if action == "show" and deciding:
        raise UsageError("--approve, --dismiss and --note go with `resolve N`, not show",
                         hint="dos decisions resolve N --approve (or --dismiss)")
    return action, rest[0]


def run(*, words: list[str], everything: bool, since: str | None,
        once: bool, approve: bool,
        dismiss: bool, note: str, owner: str, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import decisions as api
    from dos.commands import _decisions_text as text
    from dos.render import emit
    from dos.workspace import load_config

    action, target = _parse(words, deciding=approve or dismiss or bool(note))
    config = load_config(workspace, driver)
    if action == "resolve":
        if not (approve or dismiss):
            raise UsageError("resolve needs --approve or --dismiss",
                             hint="dos decisions resolve N --approve (or --dismiss)")
        done = api.resolve(config, target, approve=approve, note=note, owner=owner,
                           since=since)
        emit(api.resolution_json(done), output=output,
             text=lambda _color: text.resolution_text(done))
        return 0
    found = api.queue(config, everything=everything or action == "show", since=since)
    if action == "show":
        row = api.find(found.rows, target)
        emit(api.row_json(row), output=output, text=lambda _color: text.row_text(row))
        return 0

    def floor() -> int:
        emit(api.queue_json(found), output=output,
             text=lambda color: text.frame(found, color=color))
        return 0

    from dos.tui.launch import open_desk

    return open_desk(config, "decisions", output=output, once=once, floor=floor, owner=owner,
                     everything=everything)
