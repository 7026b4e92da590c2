"""The dos MCP server (``dos-mcp``): the referee's verdicts as MCP tools over stdio."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    """Entry point of ``dos-mcp``."""
    print("dos-mcp: the MCP server is not built yet in this version; use the dos CLI",
          file=sys.stderr)
    return 2
