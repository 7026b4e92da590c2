"""The checks behind ``dos doctor``: the store opens and is writable, each wired hook's
command resolves to a program. Each returns plain data plus the problems it found."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import tomllib
from pathlib import Path
from typing import Any, TypedDict

from dos.config import SubstrateConfig

__all__ = ["Problem", "hook_state", "problem", "store_problems"]


class Problem(TypedDict):
    """One thing that stops dos from working here, and the fix."""

    check: str
    detail: str
    fix: str


def problem(check: str, detail: str, fix: str) -> Problem:
    return {"check": check, "detail": detail, "fix": fix}


def _read_only(path: Path) -> bool:
    # mode bits too: root passes os.access, the agents that share the store may not
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def store_problems(config: SubstrateConfig, state: dict[str, Any]) -> list[Problem]:
    """Why the store cannot be used: unreachable, damaged, or not writable."""
    if not state["reachable"]:
        return [problem("store", str(state["error"]), str(state["hint"] or
                        "fix the store, or point [store] url at a working one"))]
    from dos.errors import StoreError
    from dos.store import store_for

    store = store_for(config)
    try:
        damage = store.integrity_problems() if state["exists"] else []
    except StoreError as error:
        damage = [error.message]
    finally:
        store.close()
    found = [problem("store", f"the store is damaged: {'; '.join(damage[:3])}",
                     "restore it from a backup, or move it aside to start an empty store")
             ] if damage else []
    path = getattr(store, "path", None)
    places = (path.parent, path) if isinstance(path, Path) else ()
    found += [problem("store", f"{item} is read-only: every write verb (lease-lane acquire, "
                      "halt, id-alloc, …) will fail", f"make it writable (chmod u+w {item})")
              for item in places if item.exists() and _read_only(item)]
    return found


def _commands(node: Any) -> list[str]:
    from dos.hooks.install_hosts import is_ours

    if isinstance(node, dict):
        own = [v for k, v in node.items() if k == "command" and is_ours(v)]
        return own + [c for value in node.values() for c in _commands(value)]
    if isinstance(node, list):
        return [c for item in node for c in _commands(item)]
    return []


def _wired_commands(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError, RecursionError):  # RecursionError: nested too deeply
        return []  # unreadable: the wiring check already reports it DRIFTED
    return list(dict.fromkeys(_commands(data)))


def resolve_command(command: str, root: Path) -> tuple[str | None, str]:
    """(the program ``command`` runs, or None when it does not resolve; why not)."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        return None, f"cannot be parsed ({error})"
    program = os.path.expandvars(argv[0]) if argv else ""
    if "$" in program or "%" in program:
        return program, "uses a variable only the host sets; not checked"
    if "/" in program or os.sep in program:
        target = root / program  # an absolute program replaces root
        if target.is_file() and os.access(target, os.X_OK):
            return str(target), ""
        return None, f"{target} is not an executable file"
    found = shutil.which(program)
    return (found, "") if found else (None, f"{program!r} is not on PATH")


def _unrunnable(program: str | None) -> bool:
    """True when the wiring drifted only because its program does not resolve: the
    command check above already said so, once."""
    from dos.hooks.install_program import program_problem

    return bool(program and program_problem(program))


def hook_state(root: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Each host's wiring and whether its hook commands resolve to a program."""
    from dos.hooks.install import HOSTS, wiring

    hosts: dict[str, Any] = {}
    found: list[Problem] = []
    for host in HOSTS:
        wired = wiring(root, host)
        commands = []
        for command in _wired_commands(wired.path) if wired.status != "NOT_WIRED" else []:
            program, why = resolve_command(command, root)
            commands.append({"command": command, "program": program, "note": why})
        unresolved = dict.fromkeys(item["note"] for item in commands if item["program"] is None)
        found += [problem("hooks", f"{host}: its hooks cannot run: {why}", "install dos where "
                          f"the agent host finds it (its PATH), or re-run `dos init --hooks "
                          f"{host}`") for why in unresolved]
        if wired.status == "DRIFTED" and not (unresolved and _unrunnable(wired.program)):
            found.append(problem("hooks", f"{host}: the hooks in {wired.path} drifted "
                                 f"({wired.detail})", f"repair with `dos init --hooks {host}`"))
        hosts[host] = {**wired.to_dict(), "commands": commands}
    return hosts, found
