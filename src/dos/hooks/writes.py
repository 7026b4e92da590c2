"""What a tool call writes: targets named plainly, and texts only a shell could resolve."""

from __future__ import annotations

import posixpath

__all__ = ["ShellWrites", "Target", "needs_shell"]

_DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/fd/")


def needs_shell(text: str) -> bool:
    """Whether only a shell could say what ``text`` names: ``$VAR``, backquotes,
    braces, a leading ``~``. (No regex: compiling one costs hook start-up time.)"""
    return text.startswith("~") or any(char in text for char in "$`{}")


class Target:
    """A written path as the command names it (relative to the command's cwd or
    absolute). ``recursive``: everything below it too (``rm -r``, ``mv`` sources)."""

    __slots__ = ("path", "recursive")

    def __init__(self, path: str, recursive: bool = False) -> None:
        self.path = path
        self.recursive = recursive

    def __repr__(self) -> str:
        return f"Target({self.path!r}{', recursive' if self.recursive else ''})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and (self.path, self.recursive) == (
            other.path, other.recursive)

    def __hash__(self) -> int:
        return hash((self.path, self.recursive))


class ShellWrites:
    """What a command writes: resolved targets, and texts only a shell could resolve;
    and every word it runs with, with the directory it runs in (``words``)."""

    __slots__ = ("targets", "unresolved", "words")

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.unresolved: list[str] = []
        self.words: list[tuple[str, str]] = []

    def mention(self, cwd: str | None, word: str) -> None:
        if cwd is not None and word:
            self.words.append((cwd, word))

    def add(self, cwd: str | None, path: str, *, recursive: bool = False) -> None:
        if not path or path.startswith(_DEVICES) or path == "-":
            return
        if cwd is None or needs_shell(path):
            self.unresolved.append(path)
            return
        joined = path if path.startswith("/") or not cwd else posixpath.join(cwd, path)
        self.targets.append(Target(joined, recursive))
