"""Finding an agent's memory store and its notes on disk (read-only)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dos.api.memory_facts import read_bounded
from dos.errors import GitError, UsageError
from dos.truth.memory.note import Note, parse_note
from dos.truth.memory.store_path import (
    config_directory,
    project_slug,
    slug_prefix,
    store_candidates,
)
from dos.user_paths import expand_user

__all__ = [
    "MAX_NOTES",
    "MAX_NOTE_BYTES",
    "check_name",
    "find_note",
    "note_files",
    "read_note",
    "resolve_store",
]

MAX_NOTE_BYTES = 1024 * 1024  # a note larger than this is not a note
MAX_NOTES = 10_000
_SETTINGS_BYTES = 1024 * 1024
_INDEX = "MEMORY.md"


def _setting(path: Path) -> str | None:
    """``autoMemoryDirectory`` from one settings file, if it sets a string."""
    text = read_bounded(path, _SETTINGS_BYTES)
    try:
        loaded = json.loads(text) if text is not None else None
    except ValueError:
        return None  # the host ignores a settings file it cannot parse; so do we
    value = loaded.get("autoMemoryDirectory") if isinstance(loaded, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _candidates(root: Path) -> tuple[str, ...]:
    from dos.git.objects import main_worktree

    try:
        main = main_worktree(root)
    except GitError:
        main = None  # no git: the workspace path is the only key
    # os.path.expanduser never raises: with no home to be found it leaves "~"
    env, home = dict(os.environ), os.path.expanduser("~")  # noqa: PTH111 - Path raises
    config = Path(config_directory(sys.platform, env, home))
    # local settings win over the user's; project settings may not move the store
    configured = _setting(root / ".claude" / "settings.local.json") or \
        _setting(config / "settings.json")
    return store_candidates(platform=sys.platform, env=env, home=home, workspace=str(root),
                            git_root=str(main) if main else None,
                            auto_memory_directory=configured)


def _shortened(candidate: Path) -> Path | None:
    """A long slug's directory under any hash suffix, when exactly one matches."""
    prefix = slug_prefix(candidate.parent.name)
    projects = candidate.parent.parent
    if prefix is None or not projects.is_dir():
        return None
    found = [entry for entry in projects.iterdir() if entry.name.startswith(prefix)
             and (entry / "memory").is_dir()]
    return found[0] / "memory" if len(found) == 1 else None


def resolve_store(root: Path, store: str | None) -> Path:
    """``--store DIR`` as given, else the host's memory directory for ``root``."""
    if store is not None:
        path = expand_user(store, what="--store")
        if not path.is_dir():
            raise UsageError(f"--store {store} is not a directory",
                             hint="pass the directory that holds the memory notes")
        return path.resolve()
    tried = [Path(candidate) for candidate in _candidates(root)]
    for candidate in tried:
        found = candidate if candidate.is_dir() else _shortened(candidate)
        if found is not None:
            return found.resolve()
    raise UsageError("could not locate the agent-memory store for this workspace; looked in "
                     + ", ".join(str(path) for path in tried),
                     hint="pass --store DIR, or run from the project the notes belong to "
                          f"(its notes live under projects/{project_slug(str(root))}/memory)")


def note_files(store: Path) -> list[Path]:
    """The store's notes: its ``*.md`` files but the index, that are files inside it."""
    notes = []
    for entry in sorted(store.iterdir(), key=lambda path: path.name):
        if entry.suffix.lower() != ".md" or entry.name == _INDEX:
            continue
        resolved = entry.resolve()
        if resolved.is_relative_to(store) and resolved.is_file():  # a link out is no note
            notes.append(entry)
        if len(notes) >= MAX_NOTES:
            break
    return notes


def read_note(path: Path) -> Note | None:
    text = read_bounded(path, MAX_NOTE_BYTES)
    return parse_note(path.name, text) if text is not None else None


def check_name(name: str) -> str:
    """``name`` if it can only name a note (never a path); else a usage error."""
    bad = (not name.strip() or name in (".", "..") or len(name) > 255
           or any(char in name for char in "/\\:\0") or name.startswith("~"))
    if bad:
        raise UsageError(f"{name[:80]!r} is not a memory name",
                         hint="pass a note's file name (with or without .md) or the name "
                              "in its front matter, not a path")
    return name


def find_note(store: Path, name: str) -> Note:
    """The note called ``name``: by file name first, then by front-matter ``name``."""
    check_name(name)
    notes = [(path, read_note(path)) for path in note_files(store)]
    by_file = [note for path, note in notes if note and name in (path.name, path.stem)]
    by_name = [note for _, note in notes if note and note.name == name]
    matches = by_file or by_name
    if len(matches) > 1:
        raise UsageError(f"{len(matches)} memories are named {name!r} under {store}: "
                         + ", ".join(note.file for note in matches),
                         hint="recall one by its file name")
    if not matches:
        raise UsageError(f"no memory named {name!r} under {store}",
                         hint="`dos memory verify` lists every note of the store")
    return matches[0]
