"""``dos init --skills``: copy the shipped skills into each agent host's skill folder.

A copy dos wrote carries a marker in its front matter (``metadata``, which the Agent
Skills format sets aside for tools) with the digest of what dos wrote. A copy whose
digest still matches is dos's to update or remove; an edited copy, or a SKILL.md dos did
not write, is left alone unless ``force``. The planning is pure; :func:`apply` writes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from dos.errors import UsageError
from dos.hooks.confine import confined
from dos.skills import skill_names, skill_text
from dos.structs import struct

__all__ = ["SKILL_DIRS", "SkillPlan", "apply", "plan", "rendered", "selected"]

# where each host reads a project's skills (its own documented folder)
SKILL_DIRS = {"claude-code": ".claude/skills", "codex": ".agents/skills",
              "cursor": ".cursor/skills", "gemini": ".gemini/skills"}
_MANAGED = "  managed-by: dos init --skills"
_DIGEST = re.compile(r"^  dos-digest: sha256:([0-9a-f]{64})$", re.MULTILINE)


@struct
class SkillPlan:
    """One skill for one host: ``action`` is written, updated, unchanged, skipped,
    overwritten, removed or absent; ``after`` None removes the file."""

    host: str
    name: str
    path: Path
    target: Path
    action: str
    after: str | None
    reason: str = ""

    @property
    def changes(self) -> bool:
        return self.action in ("written", "updated", "overwritten", "removed")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rendered(name: str) -> str:
    """The shipped text with dos's marker and its digest in the front matter."""
    head, fence, body = skill_text(name).partition("\n---\n")
    unsigned = f"{head}\nmetadata:\n{_MANAGED}\n{fence.strip()}\n{body}"
    signed_head = f"{head}\nmetadata:\n{_MANAGED}\n  dos-digest: sha256:{_digest(unsigned)}"
    return f"{signed_head}\n---\n{body}"


def _pristine(text: str) -> bool | None:
    """True: dos's copy, unedited; False: dos's copy, edited; None: not dos's."""
    found = _DIGEST.search(text)
    if found is None or _MANAGED not in text:
        return None
    unsigned = text[:found.start()] + text[found.end() + 1:]
    return _digest(unsigned) == found.group(1)


def selected(chosen: list[str] | None) -> tuple[str, ...]:
    """The skills asked for: all when ``chosen`` is empty; an unknown name is exit 2."""
    known = skill_names()
    unknown = [name for name in chosen or () if name not in known]
    if unknown:
        raise UsageError(f"unknown skill {unknown[0]!r}",
                         hint=f"use one of: {', '.join(known)}")
    return tuple(dict.fromkeys(chosen)) if chosen else known


def _read(target: Path) -> str | None:
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {target}: {error}",
                         hint="fix or remove the file, then run `dos init --skills` again"
                         ) from None


def _install(host: str, name: str, path: Path, target: Path, force: bool) -> SkillPlan:
    want, before = rendered(name), _read(target)
    if before is None:
        return SkillPlan(host, name, path, target, "written", want)
    if before == want:
        return SkillPlan(host, name, path, target, "unchanged", want)
    ours = _pristine(before)
    if ours:
        return SkillPlan(host, name, path, target, "updated", want)
    if force:
        return SkillPlan(host, name, path, target, "overwritten", want)
    why = "edited since dos wrote it" if ours is False else "not written by dos"
    return SkillPlan(host, name, path, target, "skipped", None,
                     f"{why}; --force replaces it")


def _uninstall(host: str, name: str, path: Path, target: Path, force: bool) -> SkillPlan:
    before = _read(target)
    if before is None:
        return SkillPlan(host, name, path, target, "absent", None)
    ours = _pristine(before)
    if ours or (ours is False and force):
        return SkillPlan(host, name, path, target, "removed", None)
    why = "edited since dos wrote it" if ours is False else "not written by dos"
    return SkillPlan(host, name, path, target, "skipped", None,
                     f"{why}; left in place" + ("; --force removes it" if ours is False
                                                else ""))


def plan(root: Path, hosts: tuple[str, ...], names: tuple[str, ...], *, force: bool = False,
         uninstall: bool = False) -> list[SkillPlan]:
    """What installing (or removing) ``names`` for ``hosts`` under ``root`` would do.
    A folder or file on the way that links outside the workspace is exit 2."""
    step = _uninstall if uninstall else _install
    plans = []
    for host in hosts:
        for name in names:  # names come from the shipped set only: no path from input
            path = root / SKILL_DIRS[host] / name / "SKILL.md"
            plans.append(step(host, name, path, _confined(root, path), force))
    return plans


def _confined(root: Path, path: Path) -> Path:
    try:
        return confined(root, path)
    except UsageError as error:
        raise UsageError(error.message, hint="dos writes skills only inside the workspace: "
                         "replace the link with a real folder, or run `dos init --skills` in "
                         "the workspace it points to") from None


def apply(plans: list[SkillPlan]) -> None:
    """Carry out the plans: each file replaced in one rename, or removed."""
    from dos.settings.scaffold import write_atomically

    for item in plans:
        if not item.changes:
            continue
        if item.after is None:
            item.target.unlink(missing_ok=True)
            folder = item.target.parent
            if not folder.is_symlink() and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
            continue
        item.target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(item.target, item.after)
