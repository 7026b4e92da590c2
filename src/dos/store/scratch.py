"""Temporary files dos left in ``<workspace>/.dos/`` when a writer died mid-write.

Only two kinds, both dos's own and both provably dead: a hook cache being replaced
(``.hook-cache.json.<pid>.<hex>.tmp``) whose writer pid no longer runs on this host,
and a store being created (``.<name>.<random>.init`` and its SQLite siblings) older
than an hour, when creating one takes milliseconds. Nothing outside ``.dos/`` is ever
looked at: the directory is opened without following a symlink, only its own regular
files are candidates (a symlink is reported, never followed or removed), and each is
unlinked relative to that open directory, so no path can be swapped in meanwhile.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable

from dos.structs import struct

__all__ = ["Scratch", "remove", "scan"]

STATE_DIR = ".dos"
INIT_AGE_S = 3600
_CACHE_TMP = re.compile(r"\.hook-cache\.json\.(\d{1,10})\.[0-9a-f]{1,32}\.tmp")
_STORE_INIT = re.compile(r"\.[^/]+\.[A-Za-z0-9_]{1,32}\.init(-wal|-shm|-journal)?")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


@struct
class Scratch:
    """What a scan found: dead files (names inside ``.dos/``) and what it left alone."""

    dead: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()


def _open_state_dir(root: str) -> int | str:
    """A descriptor of ``root/.dos``, or why it may not be touched."""
    if not _NOFOLLOW or not _DIRECTORY:
        return "this platform cannot open .dos/ without following a symlink"
    try:
        return os.open(os.path.join(root, STATE_DIR), os.O_RDONLY | _DIRECTORY | _NOFOLLOW)  # noqa: PTH118
    except FileNotFoundError:
        return ""
    except OSError as exc:  # ELOOP / ENOTDIR: a symlink or not a directory
        return f"{STATE_DIR}/ is not a plain directory ({exc.strerror}): no file is touched"


def _dead(name: str, found: os.stat_result, now_s: float,
          pid_alive: Callable[[int], bool | None]) -> bool:
    match = _CACHE_TMP.fullmatch(name)
    if match:
        return pid_alive(int(match.group(1))) is False
    return bool(_STORE_INIT.fullmatch(name)) and now_s - found.st_mtime >= INIT_AGE_S


def scan(root: str, pid_alive: Callable[[int], bool | None],
         now_s: float | None = None) -> Scratch:
    """The dead scratch files in ``root/.dos/``; ``pid_alive(pid)`` says whether a pid
    runs on this host (None: cannot say, which is never "dead")."""
    handle = _open_state_dir(root)
    if isinstance(handle, str):
        return Scratch(refused=(handle,) if handle else ())
    dead, refused = [], []
    moment = time.time() if now_s is None else now_s
    try:
        for name in sorted(os.listdir(handle)):  # noqa: PTH208 - a descriptor: no path to race
            if not (_CACHE_TMP.fullmatch(name) or _STORE_INIT.fullmatch(name)):
                continue
            found = os.stat(name, dir_fd=handle, follow_symlinks=False)
            if not stat.S_ISREG(found.st_mode):
                refused.append(f"{STATE_DIR}/{name} is not a regular file (a symlink is "
                               "never followed or removed)")
            elif _dead(name, found, moment, pid_alive):
                dead.append(name)
    finally:
        os.close(handle)
    return Scratch(tuple(dead), tuple(refused))


def remove(root: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Unlink ``names`` (from :func:`scan`) inside ``root/.dos/``; the ones removed. A
    name that became anything but a regular file meanwhile is left alone."""
    handle = _open_state_dir(root)
    if isinstance(handle, str):
        return ()
    removed = []
    try:
        for name in names:
            if "/" in name or name in (".", ".."):
                continue
            try:
                found = os.stat(name, dir_fd=handle, follow_symlinks=False)
                if stat.S_ISREG(found.st_mode):
                    os.unlink(name, dir_fd=handle)
                    removed.append(name)
            except FileNotFoundError:
                continue  # someone else cleaned it up
    finally:
        os.close(handle)
    return tuple(removed)
