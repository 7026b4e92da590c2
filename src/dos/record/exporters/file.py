"""The file exporter: appends each event as one JSON line (keys sorted) and syncs it.

The path is ``path`` or ``$DOS_EXPORT_FILE``. A relative path resolves inside the
workspace and may not leave it; an absolute path may point anywhere, but its directory
must exist: directories are created only inside the workspace. dos's own state
(``.dos/``, ``.git/``) is never a target.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from dos.errors import UsageError
from dos.record.exporters import ExportResult
from dos.record.verdict_event import VerdictEvent
from dos.user_paths import expand_user

__all__ = ["FileExporter", "resolve_target"]

_FIX = "pass --path with a file inside the workspace (e.g. exports/verdicts.jsonl) or an " \
       "absolute path whose directory exists"


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def resolve_target(raw: str, root: Path) -> Path:
    """Where ``raw`` points, checked: inside ``root`` unless absolute, never dos's state."""
    if not raw.strip():
        raise UsageError("no export path (pass --path or set $DOS_EXPORT_FILE)", hint=_FIX)
    given = expand_user(raw, what="the export path")
    target = (given if given.is_absolute() else root / given).resolve()
    if not given.is_absolute() and not _inside(target, root):
        raise UsageError(f"export path {raw!r} leaves the workspace ({target})", hint=_FIX)
    for private in (root / ".dos", root / ".git"):
        if _inside(target, private):
            raise UsageError(f"export path {target} is inside dos's own state ({private})",
                             hint=_FIX)
    if target.is_dir():
        raise UsageError(f"export path {target} is a directory", hint=_FIX)
    if not target.parent.is_dir() and not _inside(target.parent, root):
        raise UsageError(f"directory {target.parent} does not exist (dos creates "
                         "directories only inside the workspace)", hint=_FIX)
    return target


class FileExporter:
    name = "file"

    def __init__(self, path: str | None = None, root: str | Path | None = None) -> None:
        base = Path(root if root is not None else Path.cwd()).resolve()
        self.target = resolve_target(path or os.environ.get("DOS_EXPORT_FILE", ""), base)

    def export(self, events: Sequence[VerdictEvent]) -> ExportResult:
        if not events:
            return ExportResult(0, f"nothing to append to {self.target}", acknowledged=True)
        lines = "".join(json.dumps(event.to_json(), sort_keys=True, ensure_ascii=False) + "\n"
                        for event in events)
        try:
            self._append(lines)
        except OSError as exc:
            return ExportResult(0, f"cannot append to {self.target}: {exc.strerror or exc}")
        return ExportResult(len(events), f"appended {len(events)} event(s) to {self.target}",
                            cursor=max(event.seq for event in events), acknowledged=True)

    def _append(self, lines: str) -> None:
        if self.target.exists() and not stat.S_ISREG(self.target.stat().st_mode):
            raise OSError(0, "not a regular file")  # a FIFO would block the export forever
        self.target.parent.mkdir(parents=True, exist_ok=True)
        with self.target.open("a", encoding="utf-8") as stream:
            stream.write(lines)
            stream.flush()
            os.fsync(stream.fileno())
