"""Each host's own way of taking what ``dos guard`` adds. Pure.

Claude Code reads flags: ``--mcp-config JSON``, ``--strict-mcp-config``, ``--settings
JSON`` (a Stop hook) and ``--append-system-prompt``, appended after the host command.

Codex has no ``--mcp-config``; a run is configured by ``-c key=value`` overrides whose
values are TOML (``mcp_servers.dos.command``, ``mcp_servers.dos.args``, ``hooks.Stop`` as
an inline array in the documented event → matcher group → handlers shape, and
``developer_instructions`` for the claim line). They go right after the program name:
``-c`` is a root option of ``codex``, handed to every subcommand (``exec``, ``resume`` …)
and read before the prompt, so ``codex exec PROMPT`` and ``codex PROMPT`` both take it.
A ``-c`` the user gives after the subcommand outranks a root one, so a host command that
already sets a key dos sets is refused rather than silently shadowed. Codex has no key
that limits a run to the mounted MCP servers, so ``--strict-mcp`` is refused for it.

Gemini CLI has no MCP flag; it reads settings.json layers, the highest being the system
settings file that ``GEMINI_CLI_SYSTEM_SETTINGS_PATH`` names. dos writes nothing into the
repository: it adds ``mcpServers.dos`` and a ``hooks.AfterAgent`` group (Gemini's
stop-equivalent event; its timeout in milliseconds) to a copy of the system settings in
force, which is written to a private file at launch and named through that variable.
``--strict-mcp`` is Gemini's ``--allowed-mcp-server-names dos``; Gemini has no setting
that appends to the system prompt (``GEMINI_SYSTEM_MD`` replaces it), so
``--claim-prompt`` is refused for it.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from dos.errors import UsageError
from dos.structs import field, struct

__all__ = ["GEMINI_SETTINGS_ENV", "HostForm", "Injection", "claude", "codex", "gemini",
           "toml_value"]

GEMINI_SETTINGS_ENV = "GEMINI_CLI_SYSTEM_SETTINGS_PATH"
_STOP_TIMEOUT_S = 30  # as `dos init --hooks` installs the stop hook
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# what dos sets in Codex's config, and the keys whose override would replace it
_CODEX_KEYS = {"mcp": ("mcp_servers", "mcp_servers.dos"), "stop": ("hooks", "hooks.Stop"),
               "prompt": ("developer_instructions",)}


@struct
class Injection:
    """What dos adds, whatever the host: None/False for each part not asked for."""

    mcp_server: dict[str, Any] | None
    strict_mcp: bool
    stop_command: str | None
    claim_prompt: str | None


@struct
class HostForm:
    argv: tuple[str, ...]
    settings: dict[str, Any] | None = None
    append_system_prompt: str | None = None
    config_overrides: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def _has(host: tuple[str, ...], flag: str) -> bool:
    return any(word == flag or word.startswith(flag + "=") for word in host)


def _stop_group(command: str, **extra: Any) -> dict[str, Any]:
    return {"hooks": [{"type": "command", "command": command, **extra}]}


def claude(host: tuple[str, ...], inj: Injection) -> HostForm:
    """Claude Code's flags, after the host command, each at most once."""
    argv = list(host)
    if inj.mcp_server is not None:
        argv += ["--mcp-config", json.dumps({"mcpServers": {"dos": inj.mcp_server}},
                                            sort_keys=True)]
        if inj.strict_mcp and not _has(host, "--strict-mcp-config"):
            argv.append("--strict-mcp-config")
    settings = None
    if inj.stop_command is not None:
        if _has(host, "--settings"):
            raise UsageError("the host command already passes --settings, and a second one "
                             "would shadow one of them", hint="drop --verify-on-stop and add "
                             "the Stop hook to your settings file (`dos init --hooks "
                             "claude-code`)")
        settings = {"hooks": {"Stop": [_stop_group(inj.stop_command)]}}
        argv += ["--settings", json.dumps(settings, sort_keys=True)]
    if inj.claim_prompt is not None:
        if _has(host, "--append-system-prompt"):
            raise UsageError("the host command already passes --append-system-prompt",
                             hint="drop --claim-prompt, or add the DOS-CLAIM line to your "
                             "prompt")
        argv += ["--append-system-prompt", inj.claim_prompt]
    return HostForm(tuple(argv), settings, inj.claim_prompt)


def toml_value(value: Any) -> str:
    """``value`` as a TOML value on one line: basic strings, arrays, inline tables."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"{value[:60]!r} is not valid UTF-8, and Codex reads its "
                             "config as UTF-8", hint="use a workspace and a dos "
                             "installation whose paths are UTF-8") from None
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, bool | int):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(key)} = {toml_value(item)}"
                               for key, item in value.items()) + "}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else toml_value(key)


def _codex_keys_set(host: tuple[str, ...]) -> list[str]:
    """The keys the host command's own ``-c``/``--config`` options set."""
    keys, words = [], list(host[1:])
    for index, word in enumerate(words):
        if word in ("-c", "--config") and index + 1 < len(words):
            pair = words[index + 1]
        elif word.startswith("--config="):
            pair = word.removeprefix("--config=")
        elif word.startswith("-c") and len(word) > 2 and not word.startswith("--"):
            pair = word[2:]
        else:
            continue
        keys.append(pair.partition("=")[0].strip())
    return keys


def codex(host: tuple[str, ...], inj: Injection) -> HostForm:
    """``-c key=value`` overrides (TOML values), right after the program name."""
    if inj.strict_mcp:
        raise UsageError("Codex has no setting that limits a run to the mounted MCP servers "
                         "(it switches servers off one at a time)", hint="drop --strict-mcp, "
                         "or add -c mcp_servers.NAME.enabled=false to the codex command "
                         "for each server to leave out")
    settings: dict[str, Any] = {}
    overrides: list[str] = []
    parts = []
    if inj.mcp_server is not None:
        parts.append("mcp")
        settings["mcp_servers"] = {"dos": inj.mcp_server}
        overrides += [f"mcp_servers.dos.{key}={toml_value(value)}"
                      for key, value in inj.mcp_server.items()]
    if inj.stop_command is not None:
        parts.append("stop")
        groups = [_stop_group(inj.stop_command)]
        settings["hooks"] = {"Stop": groups}
        overrides.append(f"hooks.Stop={toml_value(groups)}")
    if inj.claim_prompt is not None:
        parts.append("prompt")
        settings["developer_instructions"] = inj.claim_prompt
        overrides.append(f"developer_instructions={toml_value(inj.claim_prompt)}")
    for key in _codex_keys_set(host):
        for part in parts:
            if any(key == ours or key.startswith(ours + ".") for ours in _CODEX_KEYS[part]):
                raise UsageError(f"the host command already sets -c {key}, which would "
                                 "shadow what dos adds", hint="drop that -c from the codex "
                                 "command, or the dos flag that sets it")
    argv = [host[0], *(word for item in overrides for word in ("-c", item)), *host[1:]]
    notes: tuple[str, ...] = ()
    if inj.stop_command is not None:
        notes = ("Codex skips a hook it has not trusted: trust the dos Stop hook once in "
                 "`/hooks` (its definition stays the same between runs), or pass "
                 "--dangerously-bypass-hook-trust to codex if you control every hook "
                 "source",)
    return HostForm(tuple(argv), settings, None, tuple(overrides), notes)


def gemini(host: tuple[str, ...], inj: Injection, system: Mapping[str, Any] | None
           ) -> HostForm:
    """The system settings in force (``system``) plus dos's server and AfterAgent hook."""
    if inj.claim_prompt is not None:
        raise UsageError("Gemini CLI has no setting that adds to the system prompt "
                         "(GEMINI_SYSTEM_MD replaces it whole)", hint="drop --claim-prompt "
                         "and ask for the `DOS-CLAIM: <plan> <phase>` line in your prompt or "
                         "in GEMINI.md")
    settings: dict[str, Any] = copy.deepcopy(dict(system or {}))
    argv = list(host)
    notes: list[str] = []
    if inj.mcp_server is not None:
        _table(settings, "mcpServers")["dos"] = inj.mcp_server
        mcp = settings.get("mcp")
        if isinstance(mcp, dict) and ("dos" in (mcp.get("excluded") or []) or (
                mcp.get("allowed") and "dos" not in mcp["allowed"])):
            notes.append("the system settings' mcp.allowed / mcp.excluded leave out 'dos': "
                         "Gemini will not start the dos MCP server")
        if inj.strict_mcp:
            if _has(host, "--allowed-mcp-server-names"):
                raise UsageError("the host command already passes --allowed-mcp-server-names",
                                 hint="drop --strict-mcp, or add dos to your list")
            # at the end (before a bare `--`): an array option takes the words after it
            at = argv.index("--") if "--" in argv[1:] else len(argv)
            argv[at:at] = ["--allowed-mcp-server-names", "dos"]
    if inj.stop_command is not None:
        groups = _table(settings, "hooks").setdefault("AfterAgent", [])
        if not isinstance(groups, list):
            raise UsageError("the Gemini system settings' hooks.AfterAgent is not a list",
                             hint="fix the system settings file, or drop --verify-on-stop")
        groups.append(_stop_group(inj.stop_command, name="dos-stop",
                                  timeout=_STOP_TIMEOUT_S * 1000,
                                  description="dos hook stop: dispatch-os referee"))
    return HostForm(tuple(argv), settings, None, (), tuple(notes))


def _table(settings: dict[str, Any], key: str) -> dict[str, Any]:
    table = settings.setdefault(key, {})
    if not isinstance(table, dict):
        raise UsageError(f"the Gemini system settings' {key} is not an object",
                         hint="fix the system settings file")
    return table
