"""Claude Code: PreToolUse / PostToolUse / Stop (and SubagentStop).

A deny is ``hookSpecificOutput.permissionDecision = "deny"`` on exit 0 (honoured even
under bypassPermissions); a warn is ``additionalContext`` alone; a refused stop is
``{"decision": "block", "reason": …}``. An allow prints nothing.
"""

from __future__ import annotations

from dos.hooks.dialects import Dialect
from dos.hooks.dialects._common import dumps, parse_cc_shaped
from dos.hooks.events import DENY, WARN, HookEvent, Outcome, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DIALECT", "EVENT_NAMES", "parse", "render", "render_cc_shaped"]

EVENT_NAMES = {"pretool": ("PreToolUse",), "posttool": ("PostToolUse",),
               "stop": ("Stop", "SubagentStop")}
_TOOL_EVENT = {"pretool": "PreToolUse", "posttool": "PostToolUse"}


def parse(kind: str, payload: dict[str, Any]) -> HookEvent:
    return parse_cc_shaped(kind, payload, host="claude-code", names=EVENT_NAMES,
                           last_message_key="last_assistant_message")


def render_cc_shaped(event: HookEvent, outcome: Outcome, *, deny_exit_2: bool) -> Reply:
    """Claude Code's grammar; Codex shares it but blocks a tool by exit 2."""
    if event.kind == "stop":
        if outcome.action == DENY:
            return Reply(dumps({"decision": "block", "reason": outcome.reason}))
        return Reply()
    name = _TOOL_EVENT[event.kind]
    if outcome.action == DENY and event.kind == "pretool":
        if deny_exit_2:
            return Reply(stderr=outcome.reason + "\n", exit_code=2)
        return Reply(dumps({"hookSpecificOutput": {
            "hookEventName": name, "permissionDecision": "deny",
            "permissionDecisionReason": outcome.reason}}))
    context = outcome.context or outcome.reason
    if outcome.action in (WARN, DENY) and context:
        return Reply(dumps({"hookSpecificOutput": {"hookEventName": name,
                                                   "additionalContext": context}}))
    return Reply()


def render(event: HookEvent, outcome: Outcome) -> Reply:
    return render_cc_shaped(event, outcome, deny_exit_2=False)


DIALECT = Dialect("claude-code", frozenset({0, 2}), parse, render)
