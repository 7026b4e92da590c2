"""Regular expressions compiled on first use, not at import.

A module-level ``re.compile`` costs its compilation on every process that imports the
module, and the short verbs import dozens of modules whose patterns only an error path,
a plan document or an unusual stamp ever needs. :class:`LazyPattern` has the methods of
``re.Pattern`` that dos uses and compiles the expression the first time one is called
(through :mod:`dos.pattern_cache`, which rebuilds a pattern compiled before without
importing ``re``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = ["LazyPattern"]


class LazyPattern:
    """``re.compile(source, flags)``, compiled when first used."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source, self.flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"LazyPattern({self.source!r}, {self.flags})"

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now, if this is its first use)."""
        if self._compiled is None:
            from dos.pattern_cache import compile as compile_pattern

            self._compiled = compile_pattern(self.source, self.flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self.source

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(string, pos)

    def fullmatch(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos)

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(string, pos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str,
            count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def findall(self, string: str) -> list[Any]:
        return self.compiled.findall(string)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)
