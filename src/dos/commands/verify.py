"""dos verify PLAN PHASE: did the phase really ship? Git ancestry answers (exit 0 / 1)."""

from __future__ import annotations

import sys

from dos.api import truth as api
from dos.render import emit, paint
from dos.truth.ship_verdict import GRADES, ShipVerdict, grade_at_least
from dos.workspace import load_config

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    import argparse

QUICK_ARGS = True  # the plain lines skip argparse: see dos.commands._quick_args

_EPILOG = """\
evidence, strongest first (JSON "grade"):
  registry-verified  a dos.state.yaml row whose commit is in the history of --ref
  artifact           a commit that changed the files the plan names for the phase
  subject            a commit subject that stamps the phase ("AUTH1: …", "AUTH: AUTH1 …")
Reverted ships, empty commits and release notes that only mention the phase do
not count. The whole history of --ref is searched: where .dos/ exists, through a
stamp index (.dos/stamp-index.sqlite) extended from its last tip on each call; it is
a cache, and --no-index gives the same answer from a full read.

examples:
  dos verify AUTH AUTH1                    SHIPPED AUTH AUTH1 3f2a9c1d0b4e (via grep-subject)
  dos verify AUTH AUTH2 --json --explain   one JSON line with an interpretation
  dos verify AUTH AUTH1 --min-grade artifact   exit 1 unless the diff itself shows it

In a shallow clone a phase that is not found is exit 2 (fetch the history with
`git fetch --unshallow`); a verdict that is found is marked "shallow" in --json.

exit codes: 0 shipped, 1 not shipped (or weaker than --min-grade), 2 usage or git error
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help="the plan (series), e.g. AUTH")
    parser.add_argument("phase", help="the phase, e.g. AUTH1 (or 1, or 'Phase 1')")
    parser.add_argument("--ref", default="HEAD",
                        help="answer for the history of this branch, tag or sha (default HEAD)")
    parser.add_argument("--explain", action="store_true",
                        help="add a line saying what the verdict means and how far to trust "
                        "it, and for a phase not found the commits that almost stamp it")
    parser.add_argument("--min-grade", choices=GRADES, default="none", metavar="GRADE",
                        help="exit 1 unless the evidence is at least this strong: "
                             + " < ".join(GRADES))
    parser.add_argument("--no-index", action="store_true",
                        help="read the whole history instead of the stamp index in .dos/ "
                             "(the same answer, slower; the index is a cache)")
    parser.add_argument("--no-ci", action="store_true",
                        help="skip the non-git evidence rung (dos has none built in yet)")
    parser.epilog = _EPILOG


def _text(verdict: ShipVerdict, *, color: bool) -> str:
    word = "SHIPPED" if verdict.shipped else "NOT_SHIPPED"
    via = f"via {verdict.source}"
    if "min_grade" in verdict.extra and not grade_at_least(verdict.grade,
                                                           str(verdict.extra["min_grade"])):
        via += f"; grade {verdict.grade} is below --min-grade {verdict.extra['min_grade']}"
    sha = f" {verdict.sha}" if verdict.sha else ""
    head = paint(word, "bold", "green" if verdict.shipped else "red", enabled=color)
    if not verdict.shipped:
        tail = paint(f"({via})", "red", "bold", enabled=color)
    else:
        tail = paint(f"({via})", "yellow" if verdict.grade == "subject" else "green",
                     enabled=color)
    return f"{head} {verdict.plan} {verdict.phase}{sha} {tail}"


def run(*, plan: str, phase: str, ref: str, explain: bool, min_grade: str, no_ci: bool,
        no_index: bool, workspace: str | None, driver: str | None, output: str) -> int:
    api.check_names(plan, phase)
    config = load_config(workspace, driver)
    if config.non_git_oracle and not no_ci:
        print(f"note: [verify] non_git_oracle = {config.non_git_oracle!r} is not supported "
              "yet; answering from git alone", file=sys.stderr)
    from dos.truth.oracle import interpret

    verdict = api.verify(config, plan=plan, phase=phase, ref=ref, min_grade=min_grade,
                         use_index=not no_index)
    if verdict.extra.get("shallow"):
        print("note: this is a shallow clone; history older than its boundary was not "
              "searched (`git fetch --unshallow` reads it all)", file=sys.stderr)

    misses = api.near_misses(config, verdict, ref=ref) if explain else []

    def text(color: bool) -> str:
        lines = [_text(verdict, color=color)]
        if explain:
            lines += [interpret(verdict), *(f"near miss: {m.sha} \"{m.subject}\" — {m.why}"
                                            for m in misses)]
        return "\n".join(lines)
    emit(api.verify_json(verdict, explain=explain, misses=misses), output=output, text=text)
    return verdict.token.exit_code
