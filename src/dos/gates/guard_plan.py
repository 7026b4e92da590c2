"""The argv that launches a host headless with dos wired in: ``dos guard``.

Pure. The host command is kept verbatim and only ever exec'd as an argument list; what
dos adds is Claude Code's own flags (``--mcp-config``, ``--strict-mcp-config``,
``--settings`` with a Stop hook, ``--append-system-prompt``), so they go only to a host
that speaks them, and never twice.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from dos.errors import UsageError

__all__ = ["CLAIM_PROMPT", "GuardOptions", "GuardPlan", "plan"]

CLAIM_PROMPT = ("When you finish, end your final message with one line `DOS-CLAIM: <plan> "
                "<phase>` naming what you shipped, so the Stop hook can verify it against git.")
_CLAUDE = frozenset({"claude", "claude-code"})


@dataclass(frozen=True)
class GuardOptions:
    mcp: bool = True
    strict_mcp: bool = False
    verify_on_stop: bool = False
    claim_prompt: bool = False
    dialect: str = ""  # "" = from the host program's name


@dataclass(frozen=True)
class GuardPlan:
    argv: tuple[str, ...]
    host_command: tuple[str, ...]
    mcp_config: dict[str, Any] | None
    settings: dict[str, Any] | None
    append_system_prompt: str | None
    dialect: str

    def to_dict(self) -> dict[str, Any]:
        return {"argv": list(self.argv), "host_command": list(self.host_command),
                "mcp_config": self.mcp_config, "settings": self.settings,
                "append_system_prompt": self.append_system_prompt,
                "dialect": self.dialect, "notes": []}


def _has(host: tuple[str, ...], flag: str) -> bool:
    return any(word == flag or word.startswith(flag + "=") for word in host)


def plan(host: list[str], options: GuardOptions, *, mcp_server: dict[str, Any],
         stop_command: str) -> GuardPlan:
    """The launch plan; contradictory or unsupported requests are usage errors."""
    if not host:
        raise UsageError("dos guard needs a host command after `--`",
                         hint="dos guard [options] -- claude -p 'do the task'")
    if options.strict_mcp and not options.mcp:
        raise UsageError("--strict-mcp with --no-mcp: there is no MCP mount to be strict "
                         "about", hint="drop one of --strict-mcp or --no-mcp")
    command = tuple(host)
    injecting = options.mcp or options.verify_on_stop or options.claim_prompt
    name = posixpath.basename(host[0].replace("\\", "/")).lower().removesuffix(".exe")
    dialect = options.dialect or ("claude-code" if name in _CLAUDE else "")
    if injecting and dialect != "claude-code":
        raise UsageError(f"dos guard wires Claude Code only; '{host[0]}' would be handed "
                         "flags it may not know", hint="pass --no-mcp (and no --verify-on-stop "
                         "or --claim-prompt) to launch it unchanged, wire it with `dos init "
                         "--hooks HOST`, or pass --dialect claude-code for a wrapper of claude")
    settings = _settings(command, options, stop_command)
    prompt = CLAIM_PROMPT if options.claim_prompt else None
    if prompt and _has(command, "--append-system-prompt"):
        raise UsageError("the host command already passes --append-system-prompt",
                         hint="drop --claim-prompt, or add the DOS-CLAIM line to your prompt")
    mcp = {"mcpServers": {"dos": mcp_server}} if options.mcp else None
    argv = list(command)
    if mcp is not None:
        argv += ["--mcp-config", json.dumps(mcp, sort_keys=True)]
        if options.strict_mcp and not _has(command, "--strict-mcp-config"):
            argv.append("--strict-mcp-config")
    if settings is not None:
        argv += ["--settings", json.dumps(settings, sort_keys=True)]
    if prompt is not None:
        argv += ["--append-system-prompt", prompt]
    return GuardPlan(tuple(argv), command, mcp, settings, prompt, dialect or "unknown")


def _settings(command: tuple[str, ...], options: GuardOptions, stop_command: str
              ) -> dict[str, Any] | None:
    if not options.verify_on_stop:
        return None
    if _has(command, "--settings"):
        raise UsageError("the host command already passes --settings, and a second one "
                         "would shadow one of them", hint="drop --verify-on-stop and add the "
                         "Stop hook to your settings file (`dos init --hooks claude-code`)")
    hook = {"type": "command", "command": stop_command}
    return {"hooks": {"Stop": [{"hooks": [hook]}]}}
