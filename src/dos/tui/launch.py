"""Whether a verb opens the desk app, and opening it. Imports no Textual until it runs."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from dos.config import SubstrateConfig

__all__ = ["APP_HINT", "SCREENS", "open_desk", "run_app", "textual_available", "wants_app"]

SCREENS = ("top", "decisions", "plan")
APP_HINT = "dos: the live desk needs Textual: pip install 'dispatch-os[tui]'"


def wants_app(output: str, once: bool, stream: TextIO | None = None,
              keys: TextIO | None = None) -> bool:
    """The app is for a person at a terminal: text output, no --once, and both stdout
    (``stream``) and stdin (``keys``, where the key presses come from) are terminals."""
    if output != "text" or once:
        return False
    return _is_terminal(stream or sys.stdout) and _is_terminal(keys or sys.stdin)


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # a closed stream is not a terminal
        return False


def textual_available() -> bool:
    """Textual (the ``[tui]`` extra) can be imported."""
    from importlib.util import find_spec

    try:
        return find_spec("textual") is not None
    except (ImportError, ValueError):  # a broken or blocked install is not there
        return False


def run_app(config: SubstrateConfig, screen: str, *, owner: str = "", interval: float = 5.0,
            everything: bool = False, plan_pairs: Sequence[str] = (),
            plan_ref: str = "HEAD") -> int:
    """Run the desk on ``screen`` until the operator quits: 0 (``q``), 130 (Ctrl-C), or
    70 if the app crashed (Textual has printed what happened)."""
    from dos.errors import EXIT_INTERNAL, EXIT_INTERRUPTED
    from dos.tui.app import DeskApp
    from dos.tui.data import DeskData

    desk = DeskData(config, owner=owner, everything=everything, plan_pairs=plan_pairs,
                    plan_ref=plan_ref)
    app = DeskApp(desk, screen=screen, interval=interval)
    app.run()
    code = app.return_code or 0
    return code if code in (0, EXIT_INTERRUPTED) else EXIT_INTERNAL


def open_desk(config: SubstrateConfig, screen: str, *, output: str, once: bool,
              floor: Callable[[], int], owner: str = "", interval: float = 5.0,
              everything: bool = False, plan_pairs: Sequence[str] = (),
              plan_ref: str = "HEAD") -> int:
    """The app when a person asked for it and it can run; else ``floor()``, the verb's
    plain frame, followed by a one-line install hint on stderr when only Textual is
    missing. Returns the exit code."""
    if not wants_app(output, once):
        return floor()
    if not textual_available():
        code = floor()
        print(APP_HINT, file=sys.stderr)
        return code
    return run_app(config, screen, owner=owner, interval=interval, everything=everything,
                   plan_pairs=plan_pairs, plan_ref=plan_ref)
