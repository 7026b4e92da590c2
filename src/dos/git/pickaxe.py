"""When did a line of a given shape last change in each of some files? One ``git log -G``
pass (git's pickaxe) over all of them; the callers decide what the line means."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dos.git import run_git

__all__ = ["last_line_changes"]

_FIELD = "\x1f"
# many pathspecs make git's tree walk quadratic: past this, one walk per chunk
_CHUNK = 256


def _parse(text: str, found: dict[str, tuple[str, int]]) -> None:
    for record in text.split("\x1e"):
        header, _, rest = record.partition("\0")
        sha, _, when = header.partition(_FIELD)
        if not sha or not when.strip().isdigit():
            continue
        for name in (p.strip("\n") for p in rest.split("\0")):
            if name and name not in found:  # newest first: the first one seen wins
                found[name] = (sha, int(when.strip()) * 1000)


def last_line_changes(root: Path, ref: str, pattern: str,
                      paths: Sequence[str]) -> dict[str, tuple[str, int]]:
    """path → (sha, commit time in epoch ms) of the newest non-merge commit of ``ref``
    whose diff adds or removes a line of ``path`` matching ``pattern`` (a POSIX basic
    regular expression); paths relative to ``root``, which git's own are made to be."""
    wanted = list(dict.fromkeys(paths))
    found: dict[str, tuple[str, int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        done = run_git(["log", "--no-merges", "--no-renames", "--relative", "--name-only", "-z",
                        "--no-notes", f"-G{pattern}", "--format=%x1e%H%x1f%ct",
                        "--end-of-options", ref, "--",
                        *(f":(literal){path}" for path in wanted[start:start + _CHUNK])], root)
        _parse(done.stdout, found)
    return {path: found[path] for path in wanted if path in found}
