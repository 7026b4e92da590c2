"""Shared output helpers: one JSON style, colour only when it helps."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

__all__ = ["color_enabled", "dumps", "emit_json", "paint"]

_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "dim": "2"}


def dumps(payload: Any) -> str:
    """One line, keys sorted, ASCII only: stable for diffing and for other tools."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)


def emit_json(payload: Any, stream: TextIO | None = None) -> None:
    print(dumps(payload), file=stream or sys.stdout)


def color_enabled(stream: TextIO | None = None) -> bool:
    """``DOS_COLOR`` forces it; ``NO_COLOR`` disables it; else only on a terminal."""
    forced = os.environ.get("DOS_COLOR", "").lower()
    if forced == "always":
        return True
    if forced in ("never", "0", "false") or "NO_COLOR" in os.environ:
        return False
    target = stream or sys.stdout
    return bool(getattr(target, "isatty", lambda: False)())


def paint(text: str, *styles: str, enabled: bool) -> str:
    if not enabled or not styles:
        return text
    prefix = "".join(f"\x1b[{_CODES[style]}m" for style in styles)
    return f"{prefix}{text}\x1b[0m"
