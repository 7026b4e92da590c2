"""The argv (and environment) that launches a host headless with dos wired in: ``dos
guard``.

Pure. The host command is kept verbatim and only ever exec'd as an argument list. What
dos adds depends on the host, named by the program's basename (``claude``, ``codex``,
``gemini``; ``.exe`` stripped) or by ``--dialect`` for a wrapper: each host gets its own
documented form (see :mod:`dos.gates.guard_hosts`), never another host's flags, and
never twice. A host dos does not know is launched only unchanged.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from typing import Any

from dos.errors import UsageError
from dos.gates import guard_hosts
from dos.gates.guard_hosts import HostForm, Injection
from dos.structs import field, struct

__all__ = ["CLAIM_PROMPT", "DIALECTS", "GuardOptions", "GuardPlan", "dialect_of", "plan"]

CLAIM_PROMPT = ("When you finish, end your final message with one line `DOS-CLAIM: <plan> "
                "<phase>` naming what you shipped, so the Stop hook can verify it against git.")
DIALECTS = ("claude-code", "codex", "gemini")
_PROGRAMS = {"claude": "claude-code", "claude-code": "claude-code", "codex": "codex",
             "gemini": "gemini"}


@struct
class GuardOptions:
    mcp: bool = True
    strict_mcp: bool = False
    verify_on_stop: bool = False
    claim_prompt: bool = False
    dialect: str = ""  # "" = from the host program's name

    @property
    def injecting(self) -> bool:
        return self.mcp or self.verify_on_stop or self.claim_prompt


@struct
class GuardPlan:
    argv: tuple[str, ...]
    host_command: tuple[str, ...]
    mcp_config: dict[str, Any] | None
    settings: dict[str, Any] | None
    append_system_prompt: str | None
    dialect: str
    config_overrides: tuple[str, ...] = ()
    settings_file: str | None = None  # Gemini: written at launch, named by ``env``
    env: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"argv": list(self.argv), "host_command": list(self.host_command),
                "mcp_config": self.mcp_config, "settings": self.settings,
                "append_system_prompt": self.append_system_prompt,
                "dialect": self.dialect, "config_overrides": list(self.config_overrides),
                "settings_file": self.settings_file, "env": dict(self.env),
                "notes": list(self.notes)}


def dialect_of(host: list[str], options: GuardOptions) -> str:
    """The host's dialect: ``--dialect``, else from the program's name ("" = unknown)."""
    if options.dialect or not host:
        return options.dialect
    name = posixpath.basename(host[0].replace("\\", "/")).lower().removesuffix(".exe")
    return _PROGRAMS.get(name, "")


def plan(host: list[str], options: GuardOptions, *, mcp_server: dict[str, Any],
         stop_command: Callable[[str], str],
         system_settings: Mapping[str, Any] | None = None) -> GuardPlan:
    """The launch plan; contradictory or unsupported requests are usage errors.
    ``stop_command(dialect)`` is the Stop hook's command line for that host;
    ``system_settings`` the Gemini system settings in force (None: none)."""
    if not host:
        raise UsageError("dos guard needs a host command after `--`",
                         hint="dos guard [options] -- claude -p 'do the task'")
    if options.strict_mcp and not options.mcp:
        raise UsageError("--strict-mcp with --no-mcp: there is no MCP mount to be strict "
                         "about", hint="drop one of --strict-mcp or --no-mcp")
    command = tuple(host)
    dialect = dialect_of(host, options)
    if not options.injecting:
        return GuardPlan(command, command, None, None, None, dialect or "unknown")
    if dialect not in DIALECTS:
        raise UsageError(f"dos guard wires {', '.join(DIALECTS)}; '{host[0]}' would be "
                         "handed configuration it may not know", hint="pass --no-mcp (and no "
                         "--verify-on-stop or --claim-prompt) to launch it unchanged, wire it "
                         "with `dos init --hooks HOST`, or pass --dialect claude-code|codex|"
                         "gemini for a wrapper of one of those")
    injection = Injection(mcp_server if options.mcp else None, options.strict_mcp,
                          stop_command(dialect) if options.verify_on_stop else None,
                          CLAIM_PROMPT if options.claim_prompt else None)
    form: HostForm
    if dialect == "codex":
        form = guard_hosts.codex(command, injection)
    elif dialect == "gemini":
        form = guard_hosts.gemini(command, injection, system_settings)
    else:
        form = guard_hosts.claude(command, injection)
    mcp = {"mcpServers": {"dos": mcp_server}} if options.mcp else None
    return GuardPlan(form.argv, command, mcp, form.settings, form.append_system_prompt,
                     dialect, form.config_overrides, notes=form.notes)
