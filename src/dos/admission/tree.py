"""Path and glob algebra for lane trees: normalisation, matching and a sound overlap test.

A lane tree is a list of workspace-relative globs. ``*`` matches within one path
segment, ``**`` (a whole segment) matches any number of segments including none,
``?`` one character, ``[…]`` / ``[!…]`` a character class. A glob also covers
everything below what it names, so ``src`` and ``src/`` both own ``src/a.py``.
Comparisons are case-insensitive, so overlap stays sound on case-folding filesystems.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from dos.admission._tree_segments import (
    Segment,
    compile_segment,
    segment_contains,
    segments_intersect,
)
from dos.errors import UsageError

TYPE_CHECKING = False  # typing and pathlib cost start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    Resolver = Callable[[str], str]

__all__ = [
    "globs_overlap",
    "is_glob",
    "literal_prefix",
    "matches",
    "normalize_glob",
    "normalize_path",
    "normalize_tree",
    "prefixes_collide",
    "tree_contains",
]

# String tests, not regexes: compiling a pattern costs hook start-up time.
_GLOB_CHARS = "*?["
_STAR2 = "**"


def _clean(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise UsageError(f"{what} must be a string, got {type(text).__name__}")
    cleaned = text.replace("\\", "/").strip()
    if not cleaned:
        raise UsageError(f"an empty {what} was given",
                         hint=f"remove the blank {what}, or name a workspace-relative path")
    return cleaned


def _is_absolute(text: str) -> bool:
    return text.startswith("/") or _has_drive(text)


def _has_drive(text: str) -> bool:
    """Whether ``text`` starts like ``C:/``."""
    return len(text) >= 3 and text[1:3] == ":/" and text[0].isascii() and text[0].isalpha()


def _collapse(text: str, what: str, original: str) -> list[str]:
    parts: list[str] = []
    for raw in text.split("/"):
        part = raw.strip()
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise UsageError(f"{what} {original!r} escapes the workspace",
                                 hint="name a path inside the workspace (no leading '..')")
            parts.pop()
            continue
        if part == _STAR2 and parts and parts[-1] == _STAR2:
            continue  # '**/**' means the same as '**'
        parts.append(part)
    return parts


def _relative_to_root(text: str, root: Path | str, what: str, original: str,
                      resolve: Resolver | None = None) -> str:
    base = str(root).replace("\\", "/").rstrip("/") or "/"
    pairs = [(text, base)]
    if resolve is not None:  # a symlinked root (/tmp → /private/tmp) still contains its files
        pairs.append((resolve(text).replace("\\", "/"), resolve(base).replace("\\", "/")))
    for candidate, anchor in pairs:
        folded, anchor_folded = candidate.casefold(), anchor.casefold()
        if folded == anchor_folded:
            return "."
        if folded.startswith(anchor_folded.rstrip("/") + "/"):
            return candidate[len(anchor.rstrip("/")) + 1:]
    raise UsageError(f"{what} {original!r} is outside the workspace {base}",
                     hint="name a path inside the workspace, or pass --workspace")


def normalize_path(path: str, root: Path | str, *, resolve: Resolver | None = None) -> str:
    """``path`` as a clean workspace-relative path (``./``, ``..``, ``\\``, trailing ``/``
    and absolute paths under ``root`` handled). Blank or escaping paths raise UsageError.
    ``resolve`` (say ``os.path.realpath``) is the caller's: this module reads no disk."""
    cleaned = _clean(path, "path")
    if _is_absolute(cleaned):
        cleaned = _relative_to_root(posixpath.normpath(cleaned.replace("\\", "/")), root,
                                    "path", path, resolve)
    parts = _collapse(cleaned, "path", path)
    if not parts:
        raise UsageError(f"path {path!r} names the workspace root, not a file in it",
                         hint="name a file or directory inside the workspace")
    return "/".join(parts)


def normalize_glob(glob: str, root: Path | str | None = None, *,
                   resolve: Resolver | None = None) -> str:
    """``glob`` cleaned like :func:`normalize_path`, glob syntax kept. Given ``root``, an
    absolute glob must lie under it; without one, a leading ``/`` anchors at the root."""
    cleaned = _clean(glob, "glob")
    if root is not None and _is_absolute(cleaned):
        cleaned = _relative_to_root(cleaned, root, "glob", glob, resolve)
    elif _has_drive(cleaned):
        raise UsageError(f"glob {glob!r} is an absolute Windows path",
                         hint="write lane globs relative to the workspace root")
    parts = _collapse(cleaned, "glob", glob)
    if not parts:
        raise UsageError(f"glob {glob!r} names the workspace root itself",
                         hint="write '**' to mean the whole workspace")
    return "/".join(parts)


def normalize_tree(globs: Sequence[str], root: Path | str | None = None, *,
                   resolve: Resolver | None = None) -> tuple[str, ...]:
    """Every glob normalised, duplicates dropped, order kept; a blank entry raises."""
    if isinstance(globs, str):
        raise UsageError("a tree must be a list of globs, not one string",
                         hint="pass each glob as its own entry")
    seen: dict[str, None] = {}
    for glob in globs:
        seen.setdefault(normalize_glob(glob, root, resolve=resolve), None)
    return tuple(seen)


def is_glob(text: str) -> bool:
    """Whether ``text`` holds any glob syntax (``*``, ``?`` or ``[``)."""
    return any(char in text for char in _GLOB_CHARS)


# A compiled glob: one Segment per path segment, None standing for '**'. The trailing
# None makes a glob cover everything below what it names.
_Compiled = tuple[Segment | None, ...]


def _best_effort(glob: str) -> str:
    try:
        return normalize_glob(glob)
    except UsageError:
        return glob  # blank reads as the whole workspace (sound for overlap); '..' stays literal


@lru_cache(maxsize=4096)
def _compile(glob: str) -> _Compiled:
    parts = [part for part in _best_effort(glob).split("/") if part]
    atoms = tuple(None if part == _STAR2 else compile_segment(part) for part in parts)
    return atoms if atoms and atoms[-1] is None else (*atoms, None)


def matches(path: str, glob: str) -> bool:
    """Whether the concrete ``path`` is owned by ``glob`` (both already workspace-relative)."""
    atoms = _compile(glob)
    segments = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    states = {0}
    for segment in segments:
        states = _closure(atoms, states)
        nxt: set[int] = set()
        for i in states:
            if i < len(atoms):
                atom = atoms[i]
                if atom is None:
                    nxt.add(i)
                elif atom.matches(segment):
                    nxt.add(i + 1)
        if not nxt:
            return False
        states = nxt
    return len(atoms) in _closure(atoms, states)


def _closure(atoms: _Compiled, states: set[int]) -> set[int]:
    out = set(states)
    for i in sorted(states):
        j = i
        while j < len(atoms) and atoms[j] is None:
            j += 1
            out.add(j)
    return out


@lru_cache(maxsize=65536)
def _glob_pair_overlaps(first: str, second: str) -> bool:
    return _intersects(_compile(first), _compile(second))


def _intersects(a: _Compiled, b: _Compiled) -> bool:
    """Whether some path is matched by both compiled globs (product of two automata)."""
    stack, seen = [(0, 0)], {(0, 0)}
    while stack:
        i, j = stack.pop()
        if i == len(a) and j == len(b):
            return True
        for nxt in _steps(a, b, i, j):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _steps(a: _Compiled, b: _Compiled, i: int, j: int) -> list[tuple[int, int]]:
    out = []
    if i < len(a) and a[i] is None:
        out.append((i + 1, j))
    if j < len(b) and b[j] is None:
        out.append((i, j + 1))
    if i < len(a) and j < len(b) and segments_intersect(a[i], b[j]):
        out.append((i if a[i] is None else i + 1, j if b[j] is None else j + 1))
    return out


def globs_overlap(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two trees may own a common path. Sound: never "disjoint" wrongly.

    An empty tree is an unknown blast radius and overlaps everything.
    """
    if not a or not b:
        return True
    for x in a:  # plain loops: this runs lanes x leases times per decision
        for y in b:
            if _glob_pair_overlaps(x, y):
                return True
    return False


def _contains(outer: _Compiled, inner: _Compiled) -> bool:
    """A sufficient test that every path ``inner`` matches, ``outer`` matches too."""
    stack, seen = [(0, 0)], {(0, 0)}
    while stack:
        i, j = stack.pop()
        if i == len(outer) and j == len(inner):
            return True
        options: list[tuple[int, int]] = []
        if i < len(outer) and outer[i] is None:
            options.append((i + 1, j))
            if j < len(inner):
                options.append((i, j + 1))
        elif i < len(outer) and j < len(inner):
            atom, other = outer[i], inner[j]
            if atom is not None and other is not None and segment_contains(atom, other):
                options.append((i + 1, j + 1))
        for nxt in options:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def tree_contains(outer: Sequence[str], inner: Sequence[str]) -> bool:
    """Whether every path ``inner`` owns is owned by ``outer`` (True only when sure)."""
    if not inner or not outer:
        return False
    return all(any(_contains(_compile(o), _compile(i)) for o in outer) for i in inner)


@lru_cache(maxsize=8192)
def literal_prefix(glob: str) -> str:
    """The case-folded text before the first wildcard (``""`` when it starts with one)."""
    cleaned = glob.replace("\\", "/").strip().casefold()
    found = [index for index in map(cleaned.find, _GLOB_CHARS) if index >= 0]
    return cleaned[: min(found)] if found else cleaned


def prefixes_collide(a: str, b: str) -> bool:
    """Whether one literal prefix starts with the other (``""`` collides with all)."""
    return a.startswith(b) or b.startswith(a)
