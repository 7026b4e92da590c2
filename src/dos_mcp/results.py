"""Tool results: the CLI's ``--json`` answer as structured content plus a text block."""

from __future__ import annotations

from typing import Any

from mcp.types import CallToolResult, TextContent

from dos.errors import DosError
from dos.render import dumps

__all__ = ["EXIT_CODE_KEY", "failure", "success"]

# The verdict's exit code travels in _meta: the payload stays byte-for-byte the CLI's.
EXIT_CODE_KEY = "dispatch-os/exit_code"


def success(payload: Any, exit_code: int) -> CallToolResult:
    """The answer: its text block is exactly the CLI's ``--json`` line; structured
    content is the same object (a list is wrapped as ``{"result": [...]}``)."""
    structured = payload if isinstance(payload, dict) else {"result": payload}
    return CallToolResult(content=[TextContent(type="text", text=dumps(payload))],
                          structured_content=structured, _meta={EXIT_CODE_KEY: exit_code})


def failure(error: DosError) -> CallToolResult:
    """A refused call (bad argument, bad config, git or store error): ``isError`` with
    the message and how to fix it, as the CLI prints them."""
    detail = {"error": error.message, "hint": error.hint, "kind": type(error).__name__,
              "exit_code": error.exit_code}
    return CallToolResult(content=[TextContent(type="text", text=f"dos: error: {error.render()}")],
                          structured_content=detail, is_error=True,
                          _meta={EXIT_CODE_KEY: error.exit_code})
