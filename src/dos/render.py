"""One output contract for every verb: ``text`` for people, ``plain`` for logs, ``json``
for programs.

``text`` may use colour (only on a terminal) and a few glyphs; ``plain`` is the same
lines with neither; ``json`` is one line whose objects carry ``schema``, the verb's
name and the version of its JSON shape, so a consumer can tell what it is reading
(the api layer tags its payloads with :func:`with_schema`, so MCP answers carry it too).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs start-up time, and every verb prints through here
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

__all__ = ["OUTPUTS", "answered", "color_enabled", "dumps", "emit", "emit_json", "listen",
           "paint", "plain_text", "with_schema"]

OUTPUTS = ("text", "plain", "json")
_CODES = {"bold": "1", "red": "31", "green": "32", "yellow": "33", "dim": "2"}
# What plain output writes instead of the glyphs text output may use.
_ASCII = {"\u2014": "-", "\u2013": "-", "\u2192": "->", "\u2190": "<-", "\u2713": "ok",
          "\u2717": "x", "\u2022": "*", "\u2026": "...", "\u00b7": "-", "\u00d7": "x",
          "\u2265": ">=", "\u2264": "<=", "\u2018": "'", "\u2019": "'", "\u201c": '"',
          "\u201d": '"', "\u250c": "+", "\u2500": "-", "\u26a0": "!", "\u2691": "!",
          "\u2705": "ok", "\u25b2": "^", "\u25a0": "#"}


# Who hears each answer printed (the innermost listener only: a verb run inside another
# verb, as `dos quickstart` does, is heard once). The CLI journals verdicts from here.
_LISTENERS: list[Callable[[Any], None]] = []


def listen(listener: Callable[[Any], None]) -> Callable[[], None]:
    """Hand every answer printed from now on to ``listener``; call the result to stop."""
    _LISTENERS.append(listener)
    return lambda: _LISTENERS.remove(listener)


def answered(payload: Any) -> None:
    """Tell the listener (if any) that ``payload`` was printed as an answer."""
    if _LISTENERS:
        _LISTENERS[-1](payload)


def dumps(payload: Any) -> str:
    """One line, keys sorted, ASCII only: stable for diffing and for other tools."""
    import json

    return json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)


def emit_json(payload: Any, stream: TextIO | None = None) -> None:
    print(dumps(payload), file=stream or sys.stdout)


def with_schema(payload: Any, verb: str, version: int = 1) -> Any:
    """``payload`` tagged with ``schema``: an object gets the key, a list's objects each get it."""
    tag = {"family": verb, "version": version}
    if isinstance(payload, dict):
        return {**payload, "schema": tag}
    if isinstance(payload, list):
        return [with_schema(item, verb, version) if isinstance(item, dict) else item
                for item in payload]
    return payload


def plain_text(text: str) -> str:
    """``text`` without colour codes and with ASCII in place of glyphs."""
    import re

    stripped = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return "".join(_ASCII.get(char, char) for char in stripped)


def emit(payload: Any, *, output: str, text: Callable[[bool], str],
         stream: TextIO | None = None) -> None:
    """Print one answer in the chosen form. ``payload`` is the JSON answer; ``text(color)``
    renders the human one (``color`` is False for plain output and off a terminal)."""
    target = stream or sys.stdout
    if output == "json":
        shown = dumps(payload)
    elif output == "plain":
        shown = plain_text(text(False))
    else:
        shown = text(color_enabled(target))
    # One write: a reader that stops early (`| head`) has already been handed everything,
    # even when stdout is unbuffered (PYTHONUNBUFFERED), so it cannot break the pipe.
    target.write(f"{shown}\n")
    answered(payload)


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
