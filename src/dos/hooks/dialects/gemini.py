"""Gemini CLI: ``BeforeTool`` / ``AfterTool`` / ``AfterAgent``.

A tool is blocked by exit 2 with the reason on stderr: some builds ignore a
BeforeTool ``decision``, every build honours exit 2. A refused stop is an AfterAgent
``{"decision": "deny", "reason": …}``, which retries with the reason as the prompt.
"""

from __future__ import annotations

from dos.hooks.dialects import Dialect
from dos.hooks.dialects._common import dumps, parse_cc_shaped
from dos.hooks.events import DENY, WARN, HookEvent, Outcome, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DIALECT", "EVENT_NAMES", "parse", "render"]

EVENT_NAMES = {"pretool": ("BeforeTool",), "posttool": ("AfterTool",),
               "stop": ("AfterAgent",)}


def parse(kind: str, payload: dict[str, Any]) -> HookEvent:
    return parse_cc_shaped(kind, payload, host="gemini", names=EVENT_NAMES,
                           last_message_key="prompt_response")


def render(event: HookEvent, outcome: Outcome) -> Reply:
    if outcome.action == DENY and event.kind == "stop":
        return Reply(dumps({"decision": "deny", "reason": outcome.reason}))
    if outcome.action == DENY and event.kind == "pretool":
        return Reply(stderr=outcome.reason + "\n", exit_code=2)
    context = outcome.context or outcome.reason
    if outcome.action in (WARN, DENY) and context:
        return Reply(dumps({"hookSpecificOutput": {"additionalContext": context}}))
    return Reply()


DIALECT = Dialect("gemini", frozenset({0, 2}), parse, render)
