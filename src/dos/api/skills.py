"""``dos init --skills``: the skills pack written into each chosen host's skill folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from dos.config import CONFIG_FILENAME
from dos.render import with_schema
from dos.structs import struct

if TYPE_CHECKING:
    from dos.skills.install import SkillPlan

__all__ = ["SkillsJSON", "SkillsResult", "init_skills", "init_skills_json"]


class SkillsJSON(TypedDict):
    """``dos init --skills --json``: each skill file per host and what was done to it."""

    hosts: list[str]
    skills: list[dict[str, str]]
    counts: dict[str, int]
    dry_run: bool
    uninstall: bool
    config_written: str | None
    schema: dict[str, Any]


@struct
class SkillsResult:
    plans: list[SkillPlan]
    hosts: tuple[str, ...]
    dry_run: bool
    uninstall: bool
    config_written: Path | None


def init_skills(root: Path, hosts: tuple[str, ...], chosen: list[str] | None, *,
                force: bool = False, uninstall: bool = False,
                dry_run: bool = False) -> SkillsResult:
    """Write (or remove) the chosen skills for ``hosts`` under ``root``; a first install
    also writes a dos.toml when there is none. ``dry_run`` writes nothing."""
    from dos.api.workspace import existing_dir
    from dos.settings.scaffold import derive_lanes, render_toml, write_atomically
    from dos.skills.install import apply, plan, selected

    existing_dir(root)
    plans = plan(root, hosts, selected(chosen), force=force, uninstall=uninstall)
    written = None
    if not (uninstall or dry_run or (root / CONFIG_FILENAME).exists()):
        written = root / CONFIG_FILENAME
        write_atomically(written, render_toml(derive_lanes(root)))
    if not dry_run:
        apply(plans)
    return SkillsResult(plans, hosts, dry_run, uninstall, written)


def init_skills_json(result: SkillsResult) -> SkillsJSON:
    rows = [{"host": item.host, "name": item.name, "path": str(item.path),
             "action": item.action, "reason": item.reason} for item in result.plans]
    payload = {"hosts": list(result.hosts), "skills": rows,
               "counts": dict(Counter(item.action for item in result.plans)),
               "dry_run": result.dry_run, "uninstall": result.uninstall,
               "config_written": str(result.config_written) if result.config_written
               else None}
    return with_schema(payload, "init")  # type: ignore[no-any-return]
