"""dos hook-exit: map a plain hook script's exit status to an intervention."""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos hook-exit --code 2                     # BLOCK (exit 3)
  dos hook-exit --code 3 --map 3=DEFER       # DEFER (exit 5)
  dos hook-exit --code 0 --map 0=BLOCK       # the pass code can be remapped too
  dos hook-exit --code 7 --map 7=PASS        # and more pass codes declared

Codes are exit statuses 0-255. The map starts as 0=PASS, 2=BLOCK; dos.toml
[hook_exit] map = {"3" = "DEFER"} and --map override it; a code nobody maps gets
[hook_exit] fallback (WARN).
Exit: 0 PASS, 3 BLOCK, 4 WARN, 5 DEFER, 6 OBSERVE, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Map a hook script's exit status to PASS/OBSERVE/WARN/BLOCK/DEFER."
    parser.epilog = _EPILOG
    parser.add_argument("--code", required=True, metavar="N", help="the script's exit status")
    parser.add_argument("--map", dest="entries", action="append", default=[],
                        metavar="C=VERB,…", help="CODE=VERB entries (repeatable)")


def run(*, code: str, entries: list[str], workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import gates_classify
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = gates_classify.hook_exit(config, code=code, entries=entries)
    emit_verdict(verdict.verdict.value, verdict.reason, gates_classify.hook_exit_json(verdict),
                 output)
    return verdict.verdict.exit_code
