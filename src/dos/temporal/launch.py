"""The command a host runs to start a worker: ``[supervise] launch``, an argument list.

Pure. ``{lane}`` and ``{run_id}`` are the only placeholders; dos never runs the command,
it proposes it (``dos loop``) or records it with a SPAWN (``dos loop --record``).
Without a configured launch there is no command to propose: dos ships no worker of its
own, so it never invents one.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from dos.errors import UsageError

__all__ = ["PLACEHOLDERS", "RUN_ID_SLOT", "launch_argv", "launch_command", "validate_launch"]

PLACEHOLDERS = ("{lane}", "{run_id}")
RUN_ID_SLOT = "{run_id}"  # left as written in a plan: the run id is minted at spawn time
_HINT = 'e.g. launch = ["my-agent", "--lane", "{lane}", "--run-id", "{run_id}"]'
_MAX_ARGS, _MAX_ARG_CHARS = 64, 4096


def _bad(message: str) -> UsageError:
    return UsageError(f"[supervise] {message}", hint=_HINT)


def validate_launch(argv: Sequence[str]) -> tuple[str, ...]:
    """``argv`` checked: 1 to 64 non-empty single-line strings, a literal program, only the
    known placeholders, and at least one of them (the worker must learn its lane)."""
    if not argv:
        return ()
    if len(argv) > _MAX_ARGS:
        raise _bad(f"launch has {len(argv)} arguments; at most {_MAX_ARGS}")
    for item in argv:
        if not isinstance(item, str) or not item.strip() or len(item) > _MAX_ARG_CHARS \
                or any(char in item for char in "\0\n\r"):
            raise _bad(f"launch argument {item!r} must be a non-empty single-line string")
        unknown = set(re.findall(r"\{[^{}]*\}", item)) - set(PLACEHOLDERS)
        if unknown:
            raise _bad(f"launch argument {item!r} uses {', '.join(sorted(unknown))}; "
                       "the placeholders are {lane} and {run_id}")
    if any(p in argv[0] for p in PLACEHOLDERS):
        raise _bad("launch must start with the program itself, not a placeholder")
    if not any(p in item for item in argv for p in PLACEHOLDERS):
        raise _bad("launch must pass {lane} or {run_id} to the worker")
    return tuple(argv)


def launch_argv(argv: Sequence[str], *, lane: str, run_id: str = RUN_ID_SLOT) -> tuple[str, ...]:
    """The argument list for one worker; each placeholder fills a whole value, no shell."""
    return tuple(item.replace("{lane}", lane).replace(RUN_ID_SLOT, run_id) for item in argv)


def launch_command(argv: Sequence[str], *, lane: str, run_id: str = RUN_ID_SLOT) -> str:
    """:func:`launch_argv` quoted for a POSIX shell ("" when no launch is configured)."""
    return shlex.join(launch_argv(argv, lane=lane, run_id=run_id)) if argv else ""
