"""dos judge-eval --cases FILE.jsonl: how often does a judge clear a false claim?"""

from __future__ import annotations

import argparse

_EPILOG = """\
Each case line is a JSON object: claim_text (text), truth (true or false; "false" in
quotes is false, anything else that is not a boolean is an error naming the line),
and optionally stated_reason, subject, and evidence (an array of strings). Blank lines
and # lines are skipped. Cases are read one at a time, so memory stays flat.

The judge is built from [judges.<name>] in the workspace's dos.toml (--workspace
applies) and is handed the workspace's config. The headline rate is decisive accuracy,
(correct clears + correct flags) / decisions; a judge that always abstains scores 0.

examples:
  dos judge-eval --cases claims.jsonl
  dos judge-eval --cases claims.jsonl --judge llm --min-rate 0.9 --json
  dos judge-eval --cases claims.jsonl --show-cases | grep FALSE

exit codes: 0 PASS, 1 FALSE_CLEAR (a false claim was cleared) or BELOW_MIN_RATE
(decisive accuracy under --min-rate), 2 usage (a bad case line, an unknown judge)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--cases", required=True, metavar="FILE",
                        help="the labelled claims, one JSON object a line")
    parser.add_argument("--judge", default="similarity", metavar="NAME",
                        help="the judge to grade (default similarity; abstain, llm, operator, "
                             "or a plugin in the dos.judges group)")
    parser.add_argument("--min-rate", default=None, metavar="R",
                        help="exit 1 when decisive accuracy is under R (0 to 1)")
    parser.add_argument("--show-cases", action="store_true",
                        help="list every case's ruling (kept in memory: for small files)")


def run(*, cases: str, judge: str, min_rate: str | None, show_cases: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import judges as api
    from dos.config import user_path
    from dos.evals.cases import min_rate as parse_min_rate
    from dos.render import emit
    from dos.workspace import load_config

    threshold = parse_min_rate(min_rate)
    config = load_config(workspace, driver)
    path = user_path(cases)
    if not path.is_absolute() and workspace:
        path = config.root / path
    report = api.judge_eval(config, cases=path, judge=judge, min_rate=threshold,
                            show_cases=show_cases)
    emit(api.judge_eval_json(report, cases), output=output,
         text=lambda _color: api.judge_eval_text(report))
    return report.token.exit_code
