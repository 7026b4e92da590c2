"""OpenAI Codex CLI: Claude Code's field names with a strict output schema
(``additionalProperties: false``), so only documented keys are ever printed.

A tool is blocked by exit 2 with the reason on stderr (the block Codex honours even
where JSON decisions are not); a refused stop is ``{"decision": "block", "reason": …}``.
"""

from __future__ import annotations

from dos.hooks.dialects import Dialect
from dos.hooks.dialects._common import parse_cc_shaped
from dos.hooks.dialects.claude_code import EVENT_NAMES, render_cc_shaped
from dos.hooks.events import HookEvent, Outcome, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DIALECT", "parse", "render"]


def parse(kind: str, payload: dict[str, Any]) -> HookEvent:
    return parse_cc_shaped(kind, payload, host="codex", names=EVENT_NAMES,
                           last_message_key="last_assistant_message")


def render(event: HookEvent, outcome: Outcome) -> Reply:
    return render_cc_shaped(event, outcome, deny_exit_2=True)


DIALECT = Dialect("codex", frozenset({0, 2}), parse, render)
