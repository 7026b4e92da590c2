"""Parsing shared by the hosts whose payloads follow Claude Code's field names
(Claude Code, Codex, Gemini), and the JSON style every dialect prints."""

from __future__ import annotations

from dos import _fastjson as jsonc
from dos.hooks.events import HookEvent, as_dict, as_str, as_str_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["command_text", "dumps", "flag", "parse_cc_shaped", "tool_input_of", "tool_result"]

_RESULT_KEYS = ("tool_response", "tool_output", "output", "result")


def dumps(payload: dict[str, Any]) -> str:
    """One line, keys sorted, ASCII only, newline-terminated."""
    return jsonc.dumps(payload, sort_keys=True) + "\n"


def flag(value: object) -> bool:
    """A payload boolean; strings other than true/1/yes read as false."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return value is True or (isinstance(value, int) and value != 0)


def tool_input_of(value: object) -> dict[str, Any]:
    """``tool_input`` as an object; some hosts send it as a JSON string."""
    if isinstance(value, str):
        try:
            value = jsonc.loads(value)
        except ValueError:
            return {}
    return as_dict(value)


def command_text(value: object) -> str:
    """A shell command as one string; an argv list ``[sh, -c, script]`` gives the script."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return ""
    if len(value) >= 3 and value[1] in ("-c", "-lc", "-ic"):
        return str(value[2])
    import shlex

    return shlex.join(value)


def tool_result(payload: dict[str, Any]) -> object:
    """The tool's result: the first present, non-null result field."""
    for key in _RESULT_KEYS:
        if payload.get(key) is not None:
            return payload[key]
    return None


def parse_cc_shaped(kind: str, payload: dict[str, Any], *, host: str,
                    names: Mapping[str, tuple[str, ...]], last_message_key: str) -> HookEvent:
    """A Claude-Code-shaped payload; ``names`` maps each moment to its event names."""
    event_name = as_str(payload.get("hook_event_name"))
    tool_input = tool_input_of(payload.get("tool_input"))
    tool_name = as_str(payload.get("tool_name"))
    relevant = bool(payload) and (not event_name or event_name in names[kind])
    if kind == "pretool":
        relevant = relevant and bool(tool_name) and tool_result(payload) is None
    elif kind == "posttool":
        relevant = relevant and bool(tool_name)
    return HookEvent(
        kind=kind, host=host, event_name=event_name, relevant=relevant,
        session_id=as_str(payload.get("session_id")).strip(),
        cwd=as_str(payload.get("cwd")), workspace_roots=as_str_list(payload.get("workspace_roots")),
        tool_name=tool_name, tool_input=tool_input,
        command=command_text(tool_input.get("command")),
        tool_result=tool_result(payload) if kind == "posttool" else None,
        transcript_path=as_str(payload.get("transcript_path")),
        last_assistant_message=as_str(payload.get(last_message_key)),
        stop_hook_active=flag(payload.get("stop_hook_active")),
    )
