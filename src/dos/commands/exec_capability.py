"""dos exec-capability: does a shell command line run arbitrary code?"""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos exec-capability --command "ls -la src"                  # BOUNDED (exit 0)
  dos exec-capability --command "cat x | bash"                # GRANTS_ARBITRARY_EXEC (exit 3)
  dos exec-capability --command "timeout 5 python3.12 x.py"   # wrappers are looked through

The command is parsed as a shell would split it (never run): every command of a
pipeline or list is judged; $(…), backquotes, an unclosed quote or a program named by
an expansion fail closed. dos.toml [exec_capability] allow = [...] makes only the
listed programs BOUNDED; extra = [...] (or --extra) adds programs that run code.
Exit: 0 BOUNDED or EMPTY, 3 GRANTS_ARBITRARY_EXEC, 2 usage error."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Classify a command line: bounded, or a code runner."
    parser.epilog = _EPILOG
    parser.add_argument("--command", required=True, metavar="CMD", help="the command line")
    parser.add_argument("--extra", action="append", default=[], metavar="P1,P2",
                        help="more programs that run code (repeatable, comma-separated)")
    parser.add_argument("--allow", action="append", default=[], metavar="P1,P2",
                        help="allow-list programs (repeatable); with any, only these are "
                        "BOUNDED")


def run(*, command: str, extra: list[str], allow: list[str], workspace: str | None,
        driver: str | None, output: str) -> int:
    from dos.api import gates_classify
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    config = load_config(workspace, driver)
    verdict = gates_classify.exec_capability(config, command=command, extra=extra,
                                             allow=allow)
    emit_verdict(verdict.capability.value, verdict.reason,
                 gates_classify.exec_capability_json(verdict), output)
    return verdict.capability.exit_code
