"""The external programs the judges call: an argument list, the input on stdin, a time
limit and a bound on what it may print. Anything short of a clean exit is a failure."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["run_program"]


def run_program(argv: Sequence[str], data: bytes, *, timeout_s: float,
                max_output: int) -> str | tuple[str]:
    """The program's stdout as text, or ``(why it failed,)``."""
    from dos.processes import run_piped

    done = run_piped(list(argv), data, timeout_s=timeout_s, max_output=max_output)
    if done.code != 0 or done.output is None:
        return (done.detail,)
    try:
        return done.output.decode("utf-8")
    except UnicodeDecodeError:
        return ("its output is not UTF-8",)
