"""Host dialects: each parses its host's payload into one :class:`HookEvent` and
renders an :class:`Outcome` in that host's own grammar, keys and exit codes."""

from __future__ import annotations

from dos.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from dos.hooks.events import HookEvent, Outcome, Reply

__all__ = ["DEFAULT", "NAMES", "Dialect", "load"]

NAMES = ("claude-code", "codex", "cursor", "gemini")
DEFAULT = "claude-code"


class Dialect:
    """One host's grammar. ``exit_codes`` are the only codes the hook may return."""

    __slots__ = ("exit_codes", "name", "parse", "render")

    def __init__(self, name: str, exit_codes: frozenset[int],
                 parse: Callable[[str, dict[str, Any]], HookEvent],
                 render: Callable[[HookEvent, Outcome], Reply]) -> None:
        self.name = name
        self.exit_codes = exit_codes
        self.parse = parse
        self.render = render


def load(name: str) -> Dialect:
    """The dialect called ``name``; an unknown name is a usage error, never silence."""
    if name == "claude-code":
        from dos.hooks.dialects.claude_code import DIALECT as CLAUDE_CODE

        return CLAUDE_CODE
    if name == "codex":
        from dos.hooks.dialects.codex import DIALECT as CODEX

        return CODEX
    if name == "cursor":
        from dos.hooks.dialects.cursor import DIALECT as CURSOR

        return CURSOR
    if name == "gemini":
        from dos.hooks.dialects.gemini import DIALECT as GEMINI

        return GEMINI
    raise UsageError(f"unknown hook dialect {name!r}", hint=f"use one of: {', '.join(NAMES)}")
