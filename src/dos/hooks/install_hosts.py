"""Each host's hook config file and the entries dos owns in it, as data.

An entry is ours when its command runs ``dos hook pretool|posttool|stop``; that
command is the marker, so no host ever sees a key it does not document.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HOSTS", "MARKER", "OWN_FAIL_CLOSED", "HostSpec", "canonical_arguments",
           "canonical_command", "is_ours", "spec_for"]

HOSTS = ("claude-code", "codex", "cursor", "gemini")
MARKER = re.compile(
    r"(?:^|[\s/\\\"'])dos(?:\.exe)?[\"']?\s+hook\s+(?:pretool|posttool|stop)(?:\s|$)")
# seconds; a hook that takes longer is broken and the host applies its failure mode
_TIMEOUT_S = {"pretool": 10, "posttool": 10, "stop": 30}
# hosts with an option of their own that turns a crashed or timed-out hook into a block
OWN_FAIL_CLOSED = {"claude-code": "onFailure", "cursor": "failClosed"}


def is_ours(command: object) -> bool:
    return isinstance(command, str) and bool(MARKER.search(command))


def canonical_arguments(host: str, verb: str, *, fail_closed: bool) -> str:
    """What follows the program in our command: ``hook VERB --dialect HOST …``."""
    arguments = f"hook {verb} --dialect {host}"
    return arguments + " --on-error deny" if fail_closed and verb == "pretool" else arguments


def canonical_command(host: str, verb: str, *, fail_closed: bool, program: str) -> str:
    """Our command: ``program`` (shell words that run dos), then its arguments."""
    return f"{program} {canonical_arguments(host, verb, fail_closed=fail_closed)}"


class HostSpec:
    """Where a host reads hooks, its event names per verb, and how to spell a handler."""

    __slots__ = ("events", "layout", "name", "notes", "path")

    def __init__(self, name: str, path: str, layout: str, events: tuple[tuple[str, str], ...],
                 notes: tuple[str, ...]) -> None:
        self.name, self.path, self.layout = name, path, layout
        self.events, self.notes = events, notes

    def handler(self, verb: str, *, fail_closed: bool, program: str) -> dict[str, Any]:
        """The handler object (a group's ``hooks`` item, or a flat Cursor entry)."""
        command = canonical_command(self.name, verb, fail_closed=fail_closed, program=program)
        blocking = fail_closed and verb == "pretool"
        if self.name == "cursor":
            entry: dict[str, Any] = {"command": command, "timeout": _TIMEOUT_S[verb]}
            if blocking:
                entry["failClosed"] = True
            return entry
        entry = {"type": "command", "command": command}
        if self.name == "gemini":
            entry.update(name=f"dos-{verb}", timeout=_TIMEOUT_S[verb] * 1000,
                         description=f"dos hook {verb}: dispatch-os referee")
        elif self.name == "claude-code":
            entry["timeout"] = _TIMEOUT_S[verb]
            if blocking:
                entry["onFailure"] = "block"
        return entry

    def entry(self, verb: str, *, fail_closed: bool, program: str) -> dict[str, Any]:
        """What goes into the event's list: a group for grouped hosts."""
        handler = self.handler(verb, fail_closed=fail_closed, program=program)
        return handler if self.layout == "flat" else {"hooks": [handler]}


_RESTART = "{host} reads hooks when a session starts: restart running sessions"
SPECS = {
    "claude-code": HostSpec(
        "claude-code", ".claude/settings.json", "groups",
        (("PreToolUse", "pretool"), ("PostToolUse", "posttool"), ("Stop", "stop")),
        (_RESTART.format(host="Claude Code") + ".",)),
    "codex": HostSpec(
        "codex", ".codex/config.toml", "toml",
        (("PreToolUse", "pretool"), ("PostToolUse", "posttool"), ("Stop", "stop")),
        ("Codex runs a new or changed hook only once it is trusted: open `/hooks` in Codex "
         "and trust the dos hooks (and trust this project's .codex/ layer).",)),
    "cursor": HostSpec(
        "cursor", ".cursor/hooks.json", "flat",
        (("preToolUse", "pretool"), ("beforeShellExecution", "pretool"),
         ("beforeMCPExecution", "pretool"), ("postToolUse", "posttool"), ("stop", "stop")),
        ("Cursor reads hooks.json at start-up: restart Cursor.",
         "Cursor's stop payload carries no assistant message: the stop check needs a "
         "transcript_path from your Cursor version to find claims.")),
    "gemini": HostSpec(
        "gemini", ".gemini/settings.json", "groups",
        (("BeforeTool", "pretool"), ("AfterTool", "posttool"), ("AfterAgent", "stop")),
        (_RESTART.format(host="Gemini CLI") + ".",
         "Older Gemini CLI builds also need hooks enabled in settings "
         "(hooksConfig.enabled = true).")),
}


def spec_for(host: str) -> HostSpec:
    from dos.errors import UsageError

    if host not in SPECS:
        raise UsageError(f"unknown host {host!r}", hint=f"use one of: {', '.join(HOSTS)}")
    return SPECS[host]
