"""Setting a workspace up (``dos init``): write a dos.toml, wire an agent host's hooks."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from dos.config import CONFIG_FILENAME, LaneTaxonomy
from dos.errors import UsageError
from dos.render import with_schema
from dos.structs import struct

if TYPE_CHECKING:
    from dos.hooks.install import Plan

__all__ = ["HooksJSON", "HooksResult", "InitJSON", "InitResult", "existing_dir", "init_config",
           "init_hooks", "init_hooks_json", "init_json"]


class InitJSON(TypedDict):
    """``dos init --json``: the file written, the backup kept, and the lanes declared."""

    path: str
    backup: str | None
    lanes: list[str]
    summary: str
    schema: dict[str, Any]


class HooksJSON(TypedDict):
    """``dos init --hooks HOST --json``: what was (or would be) done to the host's file."""

    host: str
    path: str
    action: str
    events: list[str]
    fail_closed: bool
    notes: list[str]
    dry_run: bool
    changed: bool
    proposed: str | None
    config_written: str | None
    schema: dict[str, Any]


@struct
class InitResult:
    path: Path
    backup: Path | None
    lanes: LaneTaxonomy
    summary: str


def existing_dir(root: Path) -> None:
    """``dos init DIR`` sets up a repository that is there: a typo'd DIR must not become a
    fresh directory holding a dos.toml nobody reads."""
    if not root.is_dir():
        state, fix = ("is not a directory", "name a directory") if root.exists() else (
            "does not exist", "create it first (mkdir)")
        raise UsageError(f"{root} {state}",
                         hint=f"{fix}, or drop DIR to set up the current directory")


def _lanes_for(root: Path, example: str | None) -> tuple[LaneTaxonomy, str]:
    from dos.settings.scaffold import derive_lanes

    if example:
        from dos.plugins import load_driver_config

        lanes = load_driver_config(example, root).lanes
        return lanes, (f"scaffolded from the '{example}' driver — lanes: "
                       f"{', '.join(lanes.declared())}")
    lanes = derive_lanes(root)
    if not lanes.concurrent:
        return lanes, "no source dirs detected — only the exclusive 'global' lane"
    return lanes, (f"derived {len(lanes.concurrent)} concurrent lane(s) "
                   f"({', '.join(lanes.concurrent)}) + an exclusive 'global'")


def init_config(root: Path, *, force: bool = False, example: str | None = None) -> InitResult:
    """Write ``root``/dos.toml: one lane per source directory, or ``example``'s lanes.
    An existing file is replaced only with ``force``, and kept beside it as a backup."""
    from dos.settings.scaffold import render_toml, write_atomically

    existing_dir(root)
    target = root / CONFIG_FILENAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="pass --force to overwrite it "
                         "(the old file is kept as a backup)")
    lanes, summary = _lanes_for(root, example)
    backup = None
    if target.exists():
        backup = target.with_name(f"{CONFIG_FILENAME}.bak-{time.strftime('%Y%m%dT%H%M%S')}")
        shutil.copy2(target, backup)
    write_atomically(target, render_toml(lanes))
    return InitResult(target, backup, lanes, summary)


def init_json(result: InitResult) -> InitJSON:
    return with_schema({"path": str(result.path),  # type: ignore[no-any-return]
                        "backup": str(result.backup) if result.backup else None,
                        "lanes": list(result.lanes.declared()), "summary": result.summary},
                       "init")


@struct
class HooksResult:
    plan: Plan
    dry_run: bool
    config_written: Path | None


def init_hooks(root: Path, host: str, *, uninstall: bool = False, fail_closed: bool = False,
               dry_run: bool = False) -> HooksResult:
    """Wire dos's hooks into ``host``'s own config under ``root`` (or take them out);
    a first install also writes a dos.toml when there is none. ``dry_run`` writes nothing."""
    from dos.hooks.install import apply, plan_install, plan_uninstall
    from dos.settings.scaffold import derive_lanes, render_toml, write_atomically

    existing_dir(root)
    # plan first: a host file dos cannot read stops the call before anything is written
    plan = plan_uninstall(root, host) if uninstall else plan_install(
        root, host, fail_closed=fail_closed)
    written = None
    if not (uninstall or dry_run or (root / CONFIG_FILENAME).exists()):
        written = root / CONFIG_FILENAME
        write_atomically(written, render_toml(derive_lanes(root)))
    if not dry_run:
        apply(root, plan)
    return HooksResult(plan, dry_run, written)


def init_hooks_json(result: HooksResult) -> HooksJSON:
    plan = result.plan
    payload = {**plan.to_dict(), "dry_run": result.dry_run, "changed": plan.changes,
               "proposed": plan.after if result.dry_run else None,
               "config_written": str(result.config_written) if result.config_written else None}
    return with_schema(payload, "init")  # type: ignore[no-any-return]
