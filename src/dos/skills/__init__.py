"""The skills pack: one ``<name>/SKILL.md`` per workflow, shipped as package data.

A skill is an Agent Skills file: YAML front matter with ``name`` and ``description``,
then the steps, each with the exact ``dos`` command lines and what their exit codes mean.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["NAME_SHAPE", "front_matter", "skill_names", "skill_text"]

# the Agent Skills rule for a name: lowercase words joined by single hyphens, ≤ 64 chars
NAME_SHAPE = re.compile(r"^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = "---"


def skill_names() -> tuple[str, ...]:
    """Every shipped skill, sorted: the folders here that hold a SKILL.md."""
    folder = resources.files(__name__)
    return tuple(sorted(entry.name for entry in folder.iterdir()
                        if entry.is_dir() and NAME_SHAPE.match(entry.name)
                        and entry.joinpath("SKILL.md").is_file()))


def skill_text(name: str) -> str:
    """The shipped SKILL.md of ``name`` (a name from :func:`skill_names` only)."""
    if name not in skill_names():
        raise KeyError(name)
    return resources.files(__name__).joinpath(name, "SKILL.md").read_text(encoding="utf-8")


def front_matter(text: str) -> dict[str, str] | None:
    """The top-level ``key: value`` pairs of the front matter, or None when there is
    none. Nested keys (indented lines) are skipped; our own files hold no other form."""
    lines = text.split("\n")
    if not lines or lines[0] != _FENCE or _FENCE not in lines[1:]:
        return None
    fields: dict[str, str] = {}
    for line in lines[1:lines.index(_FENCE, 1)]:
        key, colon, value = line.partition(":")
        if colon and key and not key[0].isspace():
            fields[key.strip()] = value.strip()
    return fields
