"""How did lines of a given shape change in each of some files, newest commit first? One
``git log -G`` pass (git's pickaxe) over all of them; the callers decide what the lines
mean."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from dos.git import run_git
from dos.structs import field, struct

__all__ = ["LineChange", "line_changes"]

_FIELD = "\x1f"
# many pathspecs make git's tree walk quadratic: past this, one walk per chunk
_CHUNK = 256
_HEADER = re.compile(r"^diff --git a/(.*) b/(.*)$")


@struct
class LineChange:
    """One commit's edit of one file: the matching lines it removed and added, and whether
    it created the file (so nothing was removed because nothing was there)."""

    sha: str
    at_ms: int
    created: bool
    removed: tuple[str, ...]
    added: tuple[str, ...]


@struct(frozen=False)
class _Edit:
    created: bool = False
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


def _file_edits(patch: str, matches: re.Pattern[str]) -> dict[str, _Edit]:
    """Each file of one commit's ``-U0`` patch: whether it was created, and the matching
    lines removed and added."""
    edits: dict[str, _Edit] = {}
    current: _Edit | None = None
    for line in patch.split("\n"):
        header = _HEADER.match(line)
        if header:
            current = edits.setdefault(header.group(2), _Edit())
        elif current is None:
            continue
        elif line.startswith("new file mode"):
            current.created = True
        elif line[:1] in ("-", "+") and not line.startswith(("---", "+++")) \
                and matches.search(line[1:]):
            (current.removed if line[0] == "-" else current.added).append(line[1:])
    return edits


def _parse(text: str, matches: re.Pattern[str], wanted: set[str],
           found: dict[str, list[LineChange]]) -> None:
    for record in text.split("\x1e")[1:]:
        header, _, patch = record.partition("\n")
        sha, _, when = header.partition(_FIELD)
        if not sha or not when.strip().isdigit():
            continue
        for path, edit in _file_edits(patch, matches).items():
            if path in wanted:
                found.setdefault(path, []).append(LineChange(
                    sha, int(when.strip()) * 1000, edit.created, tuple(edit.removed),
                    tuple(edit.added)))


def line_changes(root: Path, ref: str, pattern: str, line: str,
                 paths: Sequence[str]) -> dict[str, list[LineChange]]:
    """path → the non-merge commits of ``ref`` (newest first) whose diff adds or removes a
    line of ``path`` matching ``pattern`` (a POSIX basic regular expression for git), with
    the removed and added lines that match ``line`` (the same shape, as a Python regular
    expression); paths relative to ``root``, which git's own are made to be."""
    wanted = list(dict.fromkeys(paths))
    found: dict[str, list[LineChange]] = {}
    matches = re.compile(line)
    for start in range(0, len(wanted), _CHUNK):
        done = run_git(["-c", "core.quotePath=false", "log", "--no-merges", "--no-renames",
                        "--relative", "-p", "-U0", "--no-color", "--no-ext-diff", "--no-notes",
                        f"-G{pattern}", "--format=%x1e%H%x1f%ct", "--end-of-options", ref,
                        "--", *(f":(literal){path}" for path in wanted[start:start + _CHUNK])],
                       root)
        _parse(done.stdout, matches, set(wanted), found)
    return {path: found[path] for path in wanted if path in found}
