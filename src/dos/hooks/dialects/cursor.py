"""Cursor: flat ``hooks.json`` events with camelCase names.

Shell events carry a top-level ``command`` and ``cwd``; every event carries
``conversation_id`` and ``workspace_roots``. Permission events (``preToolUse``,
``beforeShellExecution``, ``beforeMCPExecution``, ``beforeReadFile``) always get a
``{"permission": …}`` reply, so a fail-closed install never reads silence as a
crash; after-events get ``{}``; ``stop`` gets ``{"followup_message": …}`` to refuse.
Every reply exits 0.
"""

from __future__ import annotations

from dos.hooks.dialects import Dialect
from dos.hooks.dialects._common import command_text, dumps, flag, tool_input_of, tool_result
from dos.hooks.events import DENY, WARN, HookEvent, Outcome, Reply, as_str, as_str_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DIALECT", "EVENT_NAMES", "PERMISSION_EVENTS", "parse", "render"]

PERMISSION_EVENTS = ("preToolUse", "beforeShellExecution", "beforeMCPExecution",
                     "beforeReadFile")
EVENT_NAMES = {
    "pretool": PERMISSION_EVENTS,
    "posttool": ("postToolUse", "postToolUseFailure", "afterShellExecution",
                 "afterMCPExecution", "afterFileEdit"),
    "stop": ("stop", "subagentStop"),
}
# Events that name no tool: the tool they stand for.
_IMPLIED_TOOL = {"beforeShellExecution": "Shell", "afterShellExecution": "Shell",
                 "beforeReadFile": "Read", "afterFileEdit": "Edit"}


def _tool(event_name: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    tool_input = tool_input_of(payload.get("tool_input"))
    name = as_str(payload.get("tool_name")) or _IMPLIED_TOOL.get(event_name, "")
    for key in ("file_path", "command"):
        if key not in tool_input and as_str(payload.get(key)):
            tool_input[key] = payload[key]
    return name, tool_input


def parse(kind: str, payload: dict[str, Any]) -> HookEvent:
    event_name = as_str(payload.get("hook_event_name"))
    tool_name, tool_input = _tool(event_name, payload)
    relevant = bool(payload) and (not event_name or event_name in EVENT_NAMES[kind])
    if kind != "stop":
        relevant = relevant and bool(tool_name)
    loop_count = payload.get("loop_count")
    looped = isinstance(loop_count, int) and not isinstance(loop_count, bool) and loop_count > 0
    return HookEvent(
        kind=kind, host="cursor", event_name=event_name, relevant=relevant,
        session_id=(as_str(payload.get("conversation_id"))
                    or as_str(payload.get("session_id"))).strip(),
        cwd=as_str(payload.get("cwd")), workspace_roots=as_str_list(payload.get("workspace_roots")),
        tool_name=tool_name, tool_input=tool_input,
        command=command_text(tool_input.get("command")),
        tool_result=tool_result(payload) if kind == "posttool" else None,
        transcript_path=as_str(payload.get("transcript_path")),
        last_assistant_message=as_str(payload.get("last_assistant_message")),
        stop_hook_active=looped or flag(payload.get("stop_hook_active")),
    )


def render(event: HookEvent, outcome: Outcome) -> Reply:
    if event.kind == "stop":
        if outcome.action == DENY:
            return Reply(dumps({"followup_message": outcome.reason}))
        return Reply(dumps({}))
    if event.kind == "posttool" or event.event_name not in ("", *PERMISSION_EVENTS):
        # after-events cannot carry context back; the note goes to Cursor's hook log
        note = outcome.context or outcome.reason
        return Reply(dumps({}), stderr=f"{note}\n" if note else "")
    if outcome.action == DENY:
        return Reply(dumps({"permission": "deny", "user_message": outcome.reason,
                            "agent_message": outcome.reason}))
    reply: dict[str, Any] = {"permission": "allow"}
    if outcome.action == WARN and (outcome.context or outcome.reason):
        reply["agent_message"] = outcome.context or outcome.reason
    return Reply(dumps(reply))


DIALECT = Dialect("cursor", frozenset({0}), parse, render)
