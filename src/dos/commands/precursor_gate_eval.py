"""dos precursor-gate-eval: grade the [precursor] grammar on replayed calls."""

from __future__ import annotations

import argparse
from typing import Any

from dos.commands._eval_text import EXIT_NOTE, add_common, closing

_EPILOG = f"""\
case line:  {{"tool": "update_ticket", "prior": ["get_ticket"], "precursor_required": true,
             "precursor_actually_fired": true, "is_mutating": true,
             "mattered_to_score": false, "label": "…"}}

The grammar is dos.toml's [precursor]: requires (gated tool → the lookups that must all
run first), aliases (lookup → other names that count as it) and case_sensitive. Names
are trimmed, '-' and '.' read as '_', and case-folded unless case_sensitive = true.
Each call is judged by the same classifier as the live gate: a gated call with nothing
before it (the first call of a session) is refuted too. A refute on a call whose lookup
ran, or on one that needed none, is off-target. The bar: caught skips >= off-target
refutes (a tie meets it); the headline is the recall over real skips. A workspace with
no [precursor.requires] is a usage error.
{EXIT_NOTE}"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Grade the [precursor] grammar on labelled replayed tool calls."
    parser.epilog = _EPILOG
    add_common(parser)


def text(payload: dict[str, Any]) -> str:
    from dos.evals.report import grid_rows

    policy, grid, firing, rates = (payload[key] for key in ("policy", "grid", "firing",
                                                             "rates"))
    lines = [f"GRAMMAR        {len(policy['requires'])} gated tool(s), "
             f"{len(policy['aliases'])} aliased lookup(s)  "
             f"case_sensitive={str(policy['case_sensitive']).lower()}",
             f"CASES          {payload['n']}  ({grid['real_skip']} real-skip, "
             f"{grid['correctly_sequenced']} correctly-sequenced)",
             f"RECALL         {rates['missed_precursor_recall']:.3f}   (of real skips, "
             "refuted — the headline)",
             f"firing         REFUTED={firing['refuted']}  on-skip={firing['refuted_skip']}  "
             f"on-sequenced={firing['refuted_fired']}  "
             f"on-unrequired={firing['refuted_unrequired']}  "
             f"mattered={firing['refuted_skip_mattered']}"]
    lines += grid_rows([
        ("FALSE-REFUTE rate", rates["false_refute_rate"],
         "of sequenced calls, refuted — grow aliases"),
        ("fire-precision", rates["fire_precision"], "of refutes, on a real skip"),
        ("mattered-recall", rates["mattered_recall"], "of real skips, caught AND scored"),
        ("caught vs off-target", f"{firing['refuted_skip']}/{firing['off_target']}",
         "the bar: caught >= off-target")])
    return "\n".join(lines + closing(payload, "recall"))


def run(*, cases: str, min_rate: float | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import evals
    from dos.render import emit
    from dos.workspace import load_config

    answer = evals.precursor_gate_eval(load_config(workspace, driver), cases=cases,
                                       min_rate=min_rate)
    payload = evals.eval_json(answer)
    emit(payload, output=output, text=lambda _color: text(payload))
    return answer.exit_code
