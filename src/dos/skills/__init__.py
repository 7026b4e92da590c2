"""The skills pack: one ``<name>/SKILL.md`` per workflow, shipped as package data.

A skill is an Agent Skills file: YAML front matter with ``name`` and ``description``,
then the steps, each with the exact ``dos`` command lines and what their exit codes mean.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["NAME_SHAPE", "skill_names", "skill_text"]

# the Agent Skills rule for a name: lowercase words joined by single hyphens, ≤ 64 chars
NAME_SHAPE = re.compile(r"^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$")


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
