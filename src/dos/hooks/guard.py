"""What no agent may touch, whatever it leases: dos's own state (``.dos/``: the lease
store, the hook cache) and the store file wherever it lives, which no shell command
may even open; and ``dos.toml``, unless ``[hooks] allow_config_edits = true``.

Paths are workspace-relative, compared case-insensitively as lane trees are.
"""

from __future__ import annotations

import os

from dos.hooks.events import DENY, Outcome
from dos.hooks.writes import needs_shell

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CONFIG_FILE", "STATE_DIR", "Guard"]

STATE_DIR = ".dos"
CONFIG_FILE = "dos.toml"
_PREFIX = "DOS PRE-admission: "
_SQLITE_SIBLINGS = ("", "-wal", "-shm", "-journal")
_BEFORE_NAME = "/\"'=:( \t\n;<>`"  # what may precede ".dos/" where a command names it
_SHOWN = 200


def _relative(path: str, root: str) -> str | None:
    relative = os.path.relpath(path, root)
    return None if relative == ".." or relative.startswith("../") else relative


def _inside(path: str, spot: str) -> bool:
    return path == spot or path.startswith(spot + "/")


def _reaches(path: str, spot: str, recursive: bool) -> bool:
    """Whether writing ``path`` (everything below it too when ``recursive``) would
    reach ``spot`` from outside it: an ancestor, or a glob that names it."""
    if recursive and (not path or spot.startswith(path + "/")):
        return True
    if any(char in path for char in "*?["):
        from dos.admission.tree import globs_overlap

        return globs_overlap([f"{path}/**" if recursive else path], [spot])
    return False


def _what(relative: str, spot: str, recursive: bool, inside: str) -> str | None:
    """The start of the sentence saying how writing ``relative`` touches ``spot``
    (``inside`` when it lies there), or None when it does not."""
    path, folded = relative.casefold(), spot.casefold()
    if path == folded:
        return ""
    if _inside(path, folded):
        return f"{_shown(relative)} {inside} "
    if _reaches(path, folded, recursive):
        below = " and everything below it" if recursive else ""
        return f"writing {_shown(relative or '.')}{below} would change "
    return None


class Guard:
    """The spots of one workspace no agent may write (and store files none may open)."""

    __slots__ = ("config_editable", "root", "store_files", "store_spots")

    def __init__(self, root: str, *, store_file: str | None = None,
                 allow_config_edits: bool = False) -> None:
        self.root = root
        self.config_editable = allow_config_edits
        inside = _relative(store_file, root) if store_file else None
        # a store outside .dos/ (and its SQLite journal files) is guarded where it is
        own = store_file if store_file and not (inside or "").startswith(STATE_DIR + "/") else ""
        self.store_files = [own + suffix for suffix in _SQLITE_SIBLINGS] if own else []
        self.store_spots = [STATE_DIR] + [
            relative for relative in (_relative(path, root) for path in self.store_files)
            if relative is not None]

    def refusal(self, relative: str, recursive: bool) -> Outcome | None:
        """The deny for writing ``relative`` (below it too when ``recursive``), if any."""
        for spot in self.store_spots:
            what = _what(relative, spot, recursive, "is in")
            if what is not None:
                return Outcome(DENY, f"{_PREFIX}{what}{spot}, dos's own state (the lease "
                               f"store and the hook cache). No agent may write there: leases "
                               f"change only through `dos` commands (`dos lease-lane`, "
                               f"`dos halt`).",
                               facts={"reason": "DOS_STATE", "target": relative or "."})
        what = None if self.config_editable else _what(relative, CONFIG_FILE, recursive, "is")
        if what is not None:
            return Outcome(DENY, f"{_PREFIX}{what}{CONFIG_FILE}, the workspace's dos policy, "
                           f"which agents may not edit. Ask the operator (who may set "
                           f"[hooks] allow_config_edits = true in dos.toml).",
                           facts={"reason": "DOS_CONFIG", "target": relative or "."})
        return None

    def opener(self, command: str, words: Iterable[tuple[str, str]]) -> Outcome | None:
        """The deny for a shell ``command`` that names ``.dos/`` or the store file:
        in its text, or as one of its ``words`` (each with the directory it runs in)."""
        named = self._names_store(command) or any(
            text and not needs_shell(text) and self._is_store_path(cwd, text)
            for cwd, word in words for text in (word, word.partition("=")[2]))
        if not named:
            return None
        return Outcome(DENY, f"{_PREFIX}`{_shown(command)}` opens dos's own state (.dos/: "
                       f"the lease store and the hook cache). Agents read and change leases "
                       f"only through `dos` commands (`dos status`, `dos lease-lane`).",
                       facts={"reason": "DOS_STATE", "target": command})

    def _names_store(self, text: str) -> bool:
        """Whether ``text`` spells the path of ``.dos/`` or of the store file out."""
        index = text.find(STATE_DIR + "/")
        while index >= 0:
            if index == 0 or text[index - 1] in _BEFORE_NAME:
                return True
            index = text.find(STATE_DIR + "/", index + 1)
        return bool(self.store_files) and self.store_files[0] in text

    def _is_store_path(self, cwd: str, text: str) -> bool:
        path = os.path.normpath(os.path.join(self.root, cwd, text))  # noqa: PTH118
        if "\x00" in path:
            return False  # no file system holds such a name: nothing can open it
        real = os.path.realpath(path)
        if path in self.store_files or real in self.store_files:
            return True
        spellings = (_relative(path, self.root), _relative(real, os.path.realpath(self.root)))
        return any(spelled is not None and _inside(spelled.casefold(), STATE_DIR)
                   for spelled in spellings)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
