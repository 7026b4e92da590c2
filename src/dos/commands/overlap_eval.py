"""dos overlap-eval: grade the lane-overlap policy on tree pairs labelled collided or not."""

from __future__ import annotations

import argparse
from typing import Any

from dos.commands._eval_text import EXIT_NOTE, add_common, closing

_EPILOG = f"""\
case line:  {{"tree_a": ["src/**"], "tree_b": ["src/api/**"], "collided": true, "label": "…"}}

Each pair goes through the live arbiter: tree_b is a live lease, tree_a a request on
another concurrent lane, under [overlap] policy and ratio_max (--policy replaces the
policy). An empty tree_a is refused, as the arbiter refuses an unknown blast radius.
collided is a label: true or false ("false" is false; anything else is an error).
FALSE-ADMIT (admitted, but the pair collided) is the dangerous cell; the headline is
decisive accuracy.
{EXIT_NOTE}"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Grade the overlap policy on labelled concurrent tree pairs."
    parser.epilog = _EPILOG
    add_common(parser)
    parser.add_argument("--policy", default=None, metavar="NAME",
                        help="prefix or strict (default: [overlap] policy)")


def text(payload: dict[str, Any]) -> str:
    from dos.evals.report import grid_rows

    grid, rates = payload["grid"], payload["rates"]
    collided = grid["false_admit"] + grid["correct_refuse"]
    admits = grid["correct_admit"] + grid["false_admit"]
    lines = [f"POLICY         {payload['policy']['policy']}  ratio_max="
             f"{payload['policy']['ratio_max']:.3f}",
             f"CASES          {payload['n']}  ({collided} collided, {payload['n'] - collided} "
             "safe)",
             f"ACCURACY       {rates['decisive_accuracy']:.3f}   (admitted safe pairs and "
             "refused colliding ones — the headline)",
             f"confusion      ADMIT={admits} REFUSE={payload['n'] - admits}"]
    lines += grid_rows([
        ("correct-admit", grid["correct_admit"], "admitted, was safe"),
        ("FALSE-ADMIT", grid["false_admit"], "admitted, COLLIDED — the dangerous cell"),
        ("correct-refuse", grid["correct_refuse"], "refused, did collide"),
        ("safe-forgone", grid["safe_forgone"], "refused, was safe — costs parallelism")])
    lines += grid_rows([
        ("false-admit rate", rates["false_admit_rate"], "of pairs it admitted"),
        ("collision-leak rate", rates["collision_leak_rate"], "of all colliding pairs"),
        ("safe-forgone rate", rates["safe_forgone_rate"], "of all safe pairs"),
        ("admit rate", rates["admit_rate"], "read with the leak it bought")])
    return "\n".join(lines + closing(payload, "accuracy"))


def run(*, cases: str, min_rate: float | None, policy: str | None, workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import evals
    from dos.render import emit
    from dos.workspace import load_config

    answer = evals.overlap_eval(load_config(workspace, driver), cases=cases, policy=policy,
                                min_rate=min_rate)
    payload = evals.eval_json(answer)
    emit(payload, output=output, text=lambda _color: text(payload))
    return answer.exit_code
