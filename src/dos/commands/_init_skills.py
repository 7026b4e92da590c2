"""``dos init --skills``: flag checks and the text answer (the work is dos.api.skills)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dos.api import skills as api
from dos.errors import UsageError
from dos.render import emit

__all__ = ["run_skills"]

_VERB = {"written": "wrote", "updated": "updated", "overwritten": "replaced",
         "removed": "removed", "skipped": "skipped"}
_HOST_DEFAULT = "claude-code"


def _text(result: api.SkillsResult, root: Path) -> str:
    from dos.skills.install import SKILL_DIRS

    would = "would be " if result.dry_run else ""
    lines = [f"wrote {result.config_written}"] if result.config_written else []
    for item in result.plans:
        if item.action in _VERB:
            shown = f"{would}{item.action}" if result.dry_run else _VERB[item.action]
            lines.append(f"{shown} {item.path}" + (f" ({item.reason})" if item.reason else ""))
    for host in result.hosts:
        counts = Counter(item.action for item in result.plans if item.host == host)
        tally = ", ".join(f"{count} {would}{action}" for action, count in sorted(counts.items()))
        lines.append(f"{host}: {sum(counts.values())} skill(s) in {root / SKILL_DIRS[host]} "
                     f"— {tally}")
    if result.dry_run:
        lines.append("(dry run: nothing written; run again without --dry-run to apply)")
    return "\n".join(lines)


def run_skills(root: Path, *, skill: list[str] | None, host: list[str] | None,
               hooks: str | None, example: str | None, fail_closed: bool, force: bool,
               uninstall: bool, dry_run: bool, output: str) -> int:
    if hooks is not None or example or fail_closed:
        raise UsageError("--skills does not go with --hooks, --example or --fail-closed",
                         hint="run them one after the other, e.g. `dos init --hooks "
                         "claude-code` then `dos init --skills`")
    hosts = tuple(dict.fromkeys(host or [_HOST_DEFAULT]))
    result = api.init_skills(root, hosts, skill, force=force, uninstall=uninstall,
                             dry_run=dry_run)
    emit(api.init_skills_json(result), output=output, text=lambda _c: _text(result, root))
    return 0
