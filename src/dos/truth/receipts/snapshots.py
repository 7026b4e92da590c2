"""Before/after snapshots as a witness: two JSON objects, each digested into the
receipt, and how the claim key fared between them."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from dos.structs import struct

__all__ = ["MAX_SNAPSHOT_BYTES", "Snapshot", "compare", "read_snapshot"]

MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024


@struct
class Snapshot:
    """A snapshot as named, its sha256 ("" when unreadable) and its object (or None)."""

    path: str
    sha256: str
    state: dict[str, Any] | None

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "sha256": self.sha256}


def _read_bounded(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # a FIFO or a device is no snapshot, and reading it could hang
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_SNAPSHOT_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_SNAPSHOT_BYTES else None


def read_snapshot(named: str, base: Path) -> Snapshot:
    """The snapshot ``named`` (relative to ``base``); unreadable is not an error here,
    it is what the witness saw."""
    data = _read_bounded(base / named)
    if data is None:
        return Snapshot(named, "", None)
    sha = hashlib.sha256(data).hexdigest()
    try:
        state = json.loads(data)
    except (ValueError, RecursionError):
        return Snapshot(named, sha, None)
    return Snapshot(named, sha, state if isinstance(state, dict) else None)


_MISSING = object()


def compare(before: Snapshot, after: Snapshot, claim: str) -> str:
    """How ``claim`` (a top-level key) fared: added, changed, unchanged, absent or
    unreadable."""
    if before.state is None or after.state is None:
        return "unreadable"
    old, new = before.state.get(claim, _MISSING), after.state.get(claim, _MISSING)
    if new is _MISSING:
        return "absent"
    if old is _MISSING:
        return "added"
    same = json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)  # NaN included
    return "unchanged" if same else "changed"
