"""The pure merge for JSON hook configs (Claude Code, Cursor, Gemini): add our entries,
strip them, judge the wiring, and print JSON in the style the file already had."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from dos.errors import UsageError
from dos.hooks.install_hosts import HostSpec, canonical_arguments, is_ours
from dos.hooks.install_program import split_command

__all__ = ["dumps_like", "installed_program", "merged", "ours_by_event", "status", "stripped"]


def _is_our_handler(item: object) -> bool:
    return isinstance(item, dict) and is_ours(item.get("command"))


def _strip_list(items: list[Any], flat: bool) -> tuple[list[Any], int]:
    kept: list[Any] = []
    removed = 0
    for item in items:
        if flat or not isinstance(item, dict) or not isinstance(item.get("hooks"), list):
            if flat and _is_our_handler(item):
                removed += 1
            else:
                kept.append(item)
            continue
        inner = [h for h in item["hooks"] if not _is_our_handler(h)]
        gone = len(item["hooks"]) - len(inner)
        removed += gone
        if gone and not inner:
            continue  # the group held only our handlers
        kept.append({**item, "hooks": inner} if gone else item)
    return kept, removed


def stripped(data: dict[str, Any], spec: HostSpec) -> tuple[dict[str, Any], int]:
    """``data`` without our entries, and how many were removed. Containers that only
    held our entries go too; everything else stays as it was, in order."""
    result = copy.deepcopy(data)
    hooks = result.get("hooks")
    if not isinstance(hooks, dict):
        return result, 0
    total = 0
    for event in list(hooks):
        if not isinstance(hooks[event], list):
            continue
        kept, removed = _strip_list(hooks[event], spec.layout == "flat")
        total += removed
        if removed and not kept:
            del hooks[event]
        else:
            hooks[event] = kept
    if total and not hooks:
        del result["hooks"]
    return result, total


def merged(data: dict[str, Any], spec: HostSpec, *, fail_closed: bool,
           program: str) -> dict[str, Any]:
    """``data`` with exactly our canonical entries, running ``program`` (old or edited
    ones replaced)."""
    result, _ = stripped(data, spec)
    if spec.name == "cursor" and "version" not in result:
        result = {"version": 1, **result}
    hooks = result.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise UsageError(f"'hooks' in {spec.path} is not an object",
                         hint=f"fix {spec.path} by hand, then run `dos init --hooks {spec.name}`")
    for event, verb in spec.events:
        entries = hooks.setdefault(event, [])
        if not isinstance(entries, list):
            raise UsageError(f"hooks.{event} in {spec.path} is not an array",
                             hint=f"fix {spec.path} by hand, then run "
                             f"`dos init --hooks {spec.name}`")
        entries.append(spec.entry(verb, fail_closed=fail_closed, program=program))
    return result


def ours_by_event(data: dict[str, Any], spec: HostSpec) -> dict[str, list[Any]]:
    """Our entries per event, each as a group holding only our handler (or a flat entry)."""
    hooks = data.get("hooks")
    found: dict[str, list[Any]] = {}
    if not isinstance(hooks, dict):
        return found
    for event, items in hooks.items():
        for item in items if isinstance(items, list) else []:
            if spec.layout == "flat":
                mine = [item] if _is_our_handler(item) else []
            elif isinstance(item, dict) and isinstance(item.get("hooks"), list):
                mine = [{**item, "hooks": [h]} for h in item["hooks"] if _is_our_handler(h)]
            else:
                mine = []
            if mine:
                found.setdefault(event, []).extend(mine)
    return found


def installed_program(found: dict[str, list[Any]], spec: HostSpec) -> str | None:
    """The program the first of our canonical-looking commands runs, if any."""
    for event, verb in spec.events:
        for entry in found.get(event, []):
            handler = entry if spec.layout == "flat" else entry["hooks"][0]
            command = handler.get("command") if isinstance(handler, dict) else None
            for closed in (False, True):
                arguments = canonical_arguments(spec.name, verb, fail_closed=closed)
                program = split_command(command, arguments) if isinstance(command, str) else None
                if program:
                    return program
    return None


def status(data: dict[str, Any], spec: HostSpec) -> tuple[str, bool, str, str | None]:
    """(WIRED | DRIFTED | NOT_WIRED, fail-closed, what differs, the program it runs)."""
    found = ours_by_event(data, spec)
    if not found:
        return "NOT_WIRED", False, "no dos hooks", None
    program = installed_program(found, spec)
    variants = [{event: [spec.entry(verb, fail_closed=closed, program=program or "dos")]
                 for event, verb in spec.events} for closed in (False, True)]
    version_ok = spec.name != "cursor" or data.get("version") == 1
    for closed, expected in zip((False, True), variants, strict=True):
        if found == expected and version_ok:
            return "WIRED", closed, "", program
    problems = [f"{event}: missing" for event, _ in spec.events if event not in found]
    problems += [f"{event}: edited" for event in found if event in variants[0]
                 and found[event] not in (variants[0][event], variants[1][event])]
    problems += [f"{event}: not a dos event" for event in found if event not in variants[0]]
    if not version_ok:
        problems.append('"version": 1 missing')
    return "DRIFTED", False, "; ".join(problems), program


def dumps_like(data: dict[str, Any], original: str | None) -> str:
    """JSON in the original text's style: its indent, escaping and final newline."""
    if original is None:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    body = original.strip()
    found = re.search(r"\n([ \t]+)\S", body)
    indent: str | None = found.group(1) if found else (None if body else "  ")
    escaped = "\\u" in body and body.isascii()
    text = json.dumps(data, indent=indent, ensure_ascii=escaped)
    return text + "\n" if original.endswith("\n") or not body else text
