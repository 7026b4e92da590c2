"""``dos guard``'s launch plan: the argv (and environment) that starts a host headless
with the dos MCP server and Stop hook wired in, in the host's own form; and the one file
a Gemini launch needs, written only at launch."""

from __future__ import annotations

import shlex
import shutil
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.gates.guard_plan import GuardOptions, GuardPlan, plan

__all__ = ["guard_plan", "guard_prepare"]


def guard_plan(config: SubstrateConfig, host: list[str], options: GuardOptions) -> GuardPlan:
    """The argv (and environment) ``dos guard`` would exec; the Stop hook runs this dos on
    this workspace, in the host's dialect. For Gemini the settings file it names is only
    computed here: :func:`guard_prepare` writes it at launch."""
    import os

    from dos import structs
    from dos.gates.guard_files import read_system_settings, settings_path
    from dos.gates.guard_hosts import GEMINI_SETTINGS_ENV
    from dos.gates.guard_plan import dialect_of
    from dos.hooks.install_hosts import canonical_command
    from dos.hooks.install_program import hook_program

    root = str(config.root)

    def stop(dialect: str) -> str:
        return canonical_command(dialect, "stop", fail_closed=False,
                                 program=hook_program()) + f" --workspace {shlex.quote(root)}"

    server = {"command": shutil.which("dos-mcp") or "dos-mcp", "args": ["--workspace", root]}
    system = None
    gemini = options.injecting and dialect_of(host, options) == "gemini" and bool(host)
    if gemini:
        system, where = read_system_settings(os.environ)
        if options.verify_on_stop and _runs_dos_stop(system):
            raise UsageError(f"the Gemini system settings {where} already run `dos hook stop`",
                             hint="drop --verify-on-stop")
    made = plan(host, options, mcp_server=server, stop_command=stop, system_settings=system)
    if not gemini or made.settings is None:
        return made
    path = settings_path(made.settings)
    return structs.replace(made, settings_file=path, env={GEMINI_SETTINGS_ENV: path})


def _runs_dos_stop(settings: dict[str, Any] | None) -> bool:
    from dos.hooks.install_hosts import is_ours

    hooks = (settings or {}).get("hooks")
    groups = hooks.get("AfterAgent") if isinstance(hooks, dict) else None
    return isinstance(groups, list) and any(
        is_ours(handler.get("command")) for group in groups if isinstance(group, dict)
        for handler in group.get("hooks") or [] if isinstance(handler, dict))


def guard_prepare(made: GuardPlan) -> None:
    """Write what the launch needs on disk (Gemini's settings file), nothing else."""
    from dos.gates.guard_files import write_settings

    if made.settings_file is not None and made.settings is not None:
        write_settings(made.settings_file, made.settings)
