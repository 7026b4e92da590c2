"""Build the ``dos`` MCP server and serve it over stdio."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.context import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, InputRequiredResult

from dos._version import __version__
from dos.errors import UsageError
from dos_mcp.arguments import check_arguments, publish_ranges, unknown_tool
from dos_mcp.catalogue import build_tools
from dos_mcp.resources import build_resources
from dos_mcp.results import failure
from dos_mcp.session import Session

__all__ = ["INSTRUCTIONS", "build_server", "serve"]

INSTRUCTIONS = """\
dos is the referee for fleets of coding agents: it answers from git history, the lease
store and the clock, never from what an agent says. Before claiming a phase shipped, call
dos_verify; before starting work on part of the tree, call dos_arbitrate (or take the lane
with dos_lease_acquire and give it back with dos_lease_release); to refuse work, use a
reason from dos_refuse_reasons (check one with dos_check_reason); dos_observe shows the
verdicts handed out so far, dos_top who holds each lane and whether it is moving. Each
tool answers
exactly as the matching `dos … --json` command, against the same lease store; the
verdict's exit code is in the result's _meta["dispatch-os/exit_code"]. Every tool takes
an optional `workspace`, defaulting to the server's; paths outside it are refused."""


class _CheckedServer(MCPServer[Any]):
    """An MCPServer that checks a call's arguments before the SDK does, so a bad one is
    refused in the CLI's words (``dos: error: … fix: …``), not pydantic's."""

    def __init__(self, tools: list[Tool], **options: Any) -> None:
        super().__init__(tools=tools, **options)
        self._checked = {tool.name: tool for tool in tools}

    async def call_tool(self, name: str, arguments: dict[str, Any],
                        context: Context[Any, Any] | None = None,
                        ) -> CallToolResult | InputRequiredResult:
        tool = self._checked.get(name)
        try:
            if tool is None:
                raise unknown_tool(name, self._checked)
            check_arguments(tool, arguments)
        except UsageError as error:
            return failure(error)
        return await super().call_tool(name, arguments, context)


def build_server(session: Session) -> MCPServer[Any]:
    """The server: every tool and resource bound to ``session``."""
    tools = [publish_ranges(tool) for tool in build_tools(session)]
    return _CheckedServer(tools, name="dos", title="dispatch-os", version=__version__,
                          instructions=INSTRUCTIONS, resources=build_resources(session),
                          log_level="WARNING")


def serve(session: Session) -> int:
    """Serve over stdio until the client closes the connection."""
    build_server(session).run("stdio")
    return 0
