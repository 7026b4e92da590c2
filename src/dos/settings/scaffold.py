"""What ``dos init`` writes: lanes derived from the tree, and the dos.toml text for them."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from dos.settings.lanes import LaneTaxonomy

__all__ = ["derive_lanes", "render_toml", "write_atomically"]

_NOISE = frozenset({
    "__pycache__", "node_modules", "dist", "build", "target", "venv", "env",
    "site-packages", "htmlcov",
})


def _toml_string(text: str) -> str:
    """A TOML basic string; JSON escaping is a valid subset of TOML's."""
    return json.dumps(text, ensure_ascii=False)


def _toml_key(text: str) -> str:
    bare = text and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in text)
    return text if bare else _toml_string(text)


def _array(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in name)


def derive_lanes(root: Path) -> LaneTaxonomy:
    """One concurrent lane per visible top-level directory, plus exclusive ``global``."""
    dirs = sorted(
        entry.name for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in _NOISE
    )
    trees = {name: (f"{_glob_escape(name)}/**",) for name in dirs}
    trees["global"] = ("**/*",)
    return LaneTaxonomy(concurrent=tuple(dirs), exclusive=("global",), autopick=tuple(dirs),
                        trees=trees)


def render_toml(lanes: LaneTaxonomy) -> str:
    """The dos.toml text for ``lanes``."""
    lines = [
        "# dos.toml — this repository's policy for dos (https://pypi.org/project/dispatch-os).",
        "# [lanes] replaces the default lanes; [paths] and [stamp] override single keys;",
        "# [reasons.<TOKEN>] tables add refusal reasons. `dos lint` checks this file.",
        "",
        "# Concurrent lanes may run side by side when their trees are disjoint;",
        "# exclusive lanes run alone. A bare request auto-picks in autopick order.",
        "[lanes]", f"concurrent = {_array(lanes.concurrent)}",
        f"exclusive = {_array(lanes.exclusive)}", f"autopick = {_array(lanes.autopick)}", "",
    ]
    if lanes.aliases:
        lines.append("[lanes.aliases]")
        lines += [f"{_toml_key(k)} = {_toml_string(v)}" for k, v in lanes.aliases.items()]
        lines.append("")
    lines.append("[lanes.trees]")
    lines += [f"{_toml_key(lane)} = {_array(globs)}" for lane, globs in lanes.trees.items()]
    lines += ["", "# Where plan documents live (for `dos plan`).", "[paths]",
              'plans_glob = "docs/**/*-plan.md"', "",
              "# How a commit subject says a phase shipped; see `dos verify --help`.",
              "[stamp]", 'style = "grep"', '# subject_dirs = ["docs"]',
              "# allow_empty = false", ""]
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, with the umask's ordinary mode."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    umask = os.umask(0)
    os.umask(umask)
    Path(temp).chmod(0o666 & ~umask)  # mkstemp makes 0600; dos.toml is an ordinary file
    Path(temp).replace(path)
