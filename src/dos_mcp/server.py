"""Build the ``dos`` MCP server and serve it over stdio."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from dos._version import __version__
from dos_mcp.catalogue import build_tools
from dos_mcp.resources import build_resources
from dos_mcp.session import Session

__all__ = ["INSTRUCTIONS", "build_server", "serve"]

INSTRUCTIONS = """\
dos is the referee for fleets of coding agents: it answers from git history, the lease
store and the clock, never from what an agent says. Before claiming a phase shipped, call
dos_verify; before starting work on part of the tree, call dos_arbitrate (or take the lane
with dos_lease_acquire and give it back with dos_lease_release); to refuse work, use a
reason from dos_refuse_reasons (check one with dos_check_reason). Each tool answers
exactly as the matching `dos … --json` command, against the same lease store; the
verdict's exit code is in the result's _meta["dispatch-os/exit_code"]. Every tool takes
an optional `workspace`, defaulting to the server's; paths outside it are refused."""


def build_server(session: Session) -> MCPServer[Any]:
    """The server: every tool and resource bound to ``session``."""
    return MCPServer("dos", title="dispatch-os", version=__version__,
                     instructions=INSTRUCTIONS, tools=build_tools(session),
                     resources=build_resources(session), log_level="WARNING")


def serve(session: Session) -> int:
    """Serve over stdio until the client closes the connection."""
    build_server(session).run("stdio")
    return 0
