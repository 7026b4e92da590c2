"""Which program an installed hook runs: the absolute path of the running ``dos``, so a
host that starts hooks without the virtualenv on its PATH still finds it; else this
interpreter with ``-m dos``. Shell-quoted, as every host runs the command through one.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys

__all__ = ["hook_program", "program_problem", "split_command"]

_NAMES = ("dos", "dos.exe")


def hook_program() -> str:
    """The shell words that run this ``dos``: its console script, or ``python -m dos``."""
    script = sys.argv[0] if sys.argv else ""
    if os.path.basename(script) in _NAMES and os.path.isfile(script) and (  # noqa: PTH119, PTH113
            os.access(script, os.X_OK)):
        # absolute, not resolved: a link into a virtualenv survives its upgrades
        program = shlex.quote(os.path.abspath(script))  # noqa: PTH100
    elif sys.executable:
        program = shlex.join([os.path.abspath(sys.executable), "-m", "dos"])  # noqa: PTH100
    else:
        return "dos"
    try:
        program.encode("utf-8")
    except UnicodeEncodeError:
        from dos.errors import UsageError

        raise UsageError(f"the path of this dos ({program!r}) is not valid UTF-8, and hosts "
                         "read their hook config as UTF-8",
                         hint="install dos under a path whose name is UTF-8") from None
    return program


def split_command(command: str, arguments: str) -> str | None:
    """The program part of ``command`` when it ends with `` ARGUMENTS``, else None."""
    tail = " " + arguments
    if not command.endswith(tail):
        return None
    program = command[:-len(tail)].strip()
    return program or None


def program_problem(program: str) -> str:
    """What keeps ``program`` (shell words) from running, or "" when it resolves to an
    executable: an absolute path to an executable file, or a name on this PATH."""
    try:
        words = shlex.split(program)
    except ValueError as error:
        return f"the hook command's program {program!r} cannot be read ({error})"
    if not words:
        return "the hook command names no program"
    first = words[0]
    if os.sep not in first and not (os.altsep and os.altsep in first):
        return "" if shutil.which(first) else (
            f"the hook command's program {first!r} is not on PATH")
    if not os.path.isabs(first):  # noqa: PTH117
        return (f"the hook command's program {first} is a relative path: the host runs it "
                f"from wherever it starts")
    if not (os.path.isfile(first) and os.access(first, os.X_OK)):  # noqa: PTH113
        return f"the hook command's program {first} is not an executable file"
    return ""
