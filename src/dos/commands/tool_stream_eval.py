"""dos tool-stream-eval: grade the stalled-tool-stream warning on replayed streams."""

from __future__ import annotations

import argparse
from typing import Any

from dos.commands._args import count
from dos.commands._eval_text import EXIT_NOTE, add_common, closing

_EPILOG = f"""\
case line:  {{"steps": [["poll", "a1", "r1"], ["poll", "a1", "r1"]], "actually_stuck": true,
             "legit_polling": false, "recovered_if_fired": true}}
        or  {{"repeat": 4, "tool": "poll", "args": "a", "result": "r", …the three labels}}

Each stream is fed, step by step, to the same reader as `dos hook posttool`
([tool_stream] repeat_n, stall_n, ignore_tools; the flags replace them). A stream fires
when, after any step, the hook would have warned. A fire on a stream that was not stuck
(a poller or ordinary work) is off-target. The bar: recoveries >= off-target fires (a
tie meets it); the headline is the recovered rate. A stream cannot be both stuck and
polling. Labels are true or false ("false" is false; anything else is an error).
{EXIT_NOTE}"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Grade the stalled-tool-stream warning on labelled replayed streams."
    parser.epilog = _EPILOG
    add_common(parser)
    parser.add_argument("--repeat-n", type=count(1), default=None, metavar="N",
                        help="identical results that make REPEATING (default: [tool_stream])")
    parser.add_argument("--stall-n", type=count(1), default=None, metavar="N",
                        help="identical results that make STALLED (default: [tool_stream])")
    parser.add_argument("--ignore-tools", default=None, metavar="A,B",
                        help="tools that never count (replaces [tool_stream] ignore_tools)")


def text(payload: dict[str, Any]) -> str:
    from dos.evals.report import grid_rows

    policy, grid, firing, rates = (payload[key] for key in ("policy", "grid", "firing",
                                                             "rates"))
    lines = [f"POLICY         repeat_n={policy['repeat_n']}  stall_n={policy['stall_n']}  "
             f"ignore_tools=[{', '.join(policy['ignore_tools'])}]",
             f"CASES          {payload['n']}  ({grid['stuck']} actually-stuck, "
             f"{grid['polling']} legit-polling, {grid['other']} other)",
             f"RECOVERED RATE {rates['recovered_rate']:.3f}   (of stuck streams, fired on "
             "AND recovered — the headline)",
             f"firing         FIRED={firing['fired']}  on-stuck={firing['fired_stuck']}  "
             f"on-polling={firing['fired_polling']}  on-other={firing['fired_other']}  "
             f"recovered={firing['recovered']}"]
    lines += grid_rows([
        ("fire-recall", rates["fire_recall"], "of stuck streams, fired on"),
        ("FALSE-RESURFACE rate", rates["false_resurface_rate"], "of pollers, fired on"),
        ("off-target rate", rates["off_target_rate"], "of fires, not on a stuck stream"),
        ("fire-precision", rates["fire_precision"], "of fires, on a stuck stream"),
        ("recovered vs off-target", f"{firing['recovered']}/{firing['off_target']}",
         "the bar: recovered >= off-target")])
    return "\n".join(lines + closing(payload, "recovered rate"))


def run(*, cases: str, min_rate: float | None, repeat_n: int | None, stall_n: int | None,
        ignore_tools: str | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import evals
    from dos.render import emit
    from dos.workspace import load_config

    answer = evals.tool_stream_eval(load_config(workspace, driver), cases=cases,
                                    repeat_n=repeat_n, stall_n=stall_n,
                                    ignore_tools=ignore_tools, min_rate=min_rate)
    payload = evals.eval_json(answer)
    emit(payload, output=output, text=lambda _color: text(payload))
    return answer.exit_code
