"""One normalised hook event, and the outcome a hook decides.

Each dialect parses its host's payload into a :class:`HookEvent` and renders an
:class:`Outcome` back in the host's own grammar. Plain classes, not dataclasses:
this module is on the hook's start-up path.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "ALLOW",
    "DENY",
    "KINDS",
    "WARN",
    "HookEvent",
    "Outcome",
    "Reply",
    "as_dict",
    "as_str",
    "as_str_list",
]

KINDS = ("pretool", "posttool", "stop")
ALLOW, WARN, DENY = "allow", "warn", "deny"


def as_str(value: object) -> str:
    """``value`` when it is a string, else ``""``: payload fields are untrusted."""
    return value if isinstance(value, str) else ""


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_str_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str) and item)


class HookEvent:
    """What a host told a hook, in one shape whatever the host.

    ``kind`` is the moment (pretool, posttool, stop); ``event_name`` the host's own
    name for it. ``relevant`` is False when the payload is not this moment's event
    (a PostToolUse payload sent to pretool, empty stdin): the hook then allows quietly.
    """

    __slots__ = (
        "command", "cwd", "event_name", "host", "kind", "last_assistant_message",
        "relevant", "session_id", "stop_hook_active", "tool_input", "tool_name",
        "tool_result", "transcript_path", "workspace_roots",
    )

    def __init__(self, *, kind: str, host: str, event_name: str = "", relevant: bool = True,
                 session_id: str = "", cwd: str = "", workspace_roots: tuple[str, ...] = (),
                 tool_name: str = "", tool_input: Mapping[str, Any] | None = None,
                 command: str = "", tool_result: object = None, transcript_path: str = "",
                 last_assistant_message: str = "", stop_hook_active: bool = False) -> None:
        self.kind = kind
        self.host = host
        self.event_name = event_name
        self.relevant = relevant
        self.session_id = session_id
        self.cwd = cwd
        self.workspace_roots = workspace_roots
        self.tool_name = tool_name
        self.tool_input: Mapping[str, Any] = tool_input or {}
        self.command = command
        self.tool_result = tool_result
        self.transcript_path = transcript_path
        self.last_assistant_message = last_assistant_message
        self.stop_hook_active = stop_hook_active

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in sorted(self.__slots__))
        return f"HookEvent({fields})"


class Outcome:
    """A hook's decision: ``allow``, ``warn`` (allow with context for the agent) or
    ``deny`` (block the tool call, or refuse the stop).

    ``facts`` are what the verdict journal records of a decision that was really made
    (``reason`` token, ``target``, ``holder``, ``lane``); None for a call with nothing to
    judge (a read, a payload of another moment), which is not journaled."""

    __slots__ = ("action", "context", "facts", "reason")

    def __init__(self, action: str = ALLOW, reason: str = "", context: str = "",
                 facts: dict[str, str] | None = None) -> None:
        self.action = action
        self.reason = reason
        self.context = context
        self.facts = facts

    def __repr__(self) -> str:
        return f"Outcome({self.action!r}, reason={self.reason!r}, context={self.context!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outcome) and (self.action, self.reason, self.context) == (
            other.action, other.reason, other.context)

    def __hash__(self) -> int:
        return hash((self.action, self.reason, self.context))


class Reply:
    """What the hook process writes and returns: the host's own grammar."""

    __slots__ = ("exit_code", "stderr", "stdout")

    def __init__(self, stdout: str = "", stderr: str = "", exit_code: int = 0) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.exit_code = exit_code

    def __repr__(self) -> str:
        return f"Reply(stdout={self.stdout!r}, stderr={self.stderr!r}, exit={self.exit_code})"
