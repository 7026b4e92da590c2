"""dos helped: what the hooks actually prevented, counted once per distinct thing."""

from __future__ import annotations

import argparse

from dos.api import helped as api
from dos.commands._args import count
from dos.record.helped import CAUGHT, Helped
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos helped                         what the hooks prevented, by reason and tool
  dos helped --since 24h --explain   … today, with the files and sessions involved
  dos helped --session S-123 --json  one agent session, machine-readable

A catch is one distinct (session, target, reason): an agent retrying the same refused
write counts once. Counted: a write into a lane another agent holds, a write outside the
workspace, a write into .dos/ or an edit of dos.toml by an agent, and a "done" at stop
that git does not show. Read from the verdict journal (`dos observe`), so a workspace
with [observe] enabled = false has nothing to show.

exit codes: 0 shown, 74 the store cannot be read, 2 usage"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--session", default=None, metavar="SID",
                        help="only this host session's catches")
    parser.add_argument("--since", default=None, metavar="WHEN",
                        help="only since WHEN: epoch ms, ISO-8601, or an age (30m, 24h, 7d)")
    parser.add_argument("--explain", action="store_true",
                        help="show concrete examples: which file, which session, how often")
    parser.add_argument("--examples", type=count(1, 100), default=5, metavar="N",
                        help="examples kept per reason (default 5)")


def _text(result: Helped, explain: bool) -> str:
    from dos.api.observe import iso_ms

    if not result.total:
        return ("# dos helped\n  nothing prevented yet — no hook has refused a write or a "
                "false done\n  (hooks are wired by `dos init --hooks HOST`)")
    since = iso_ms(result.first_ms) if result.first_ms is not None else "?"
    lines = ["# dos helped", f"  dos prevented {result.total} thing(s) since {since}",
             f"    {result.refusals} refusal(s) in all, retries folded in", "", "  by reason"]
    lines += [f"    {reason:<18} {n:>5}   {CAUGHT[reason]}"
              for reason, n in result.by_reason.most_common()]
    lines += ["", "  by tool", "    " + " · ".join(
        f"{tool} {n}" for tool, n in result.by_tool.most_common())]
    if not explain:
        return "\n".join([*lines, "", "  `dos helped --explain` shows which files and sessions"])
    lines += ["", "  examples"]
    for reason, catches in result.examples.items():
        lines.append(f"    {reason}")
        lines += [f"      {iso_ms(c.ts_ms)}  {c.target or '(no target)'}  session {c.session}"
                  f"  {c.tool}" + (f"  {c.attempts} attempts" if c.attempts > 1 else "")
                  for c in catches]
    return "\n".join(lines)


def run(*, session: str | None, since: str | None, explain: bool, examples: int,
        workspace: str | None, driver: str | None, output: str) -> int:
    config = load_config(workspace, driver)
    result = api.helped(config, session=session, since=since, examples=examples)
    emit(api.helped_json(result), output=output, text=lambda _color: _text(result, explain))
    return 0
