"""The README's host configurations parse and start ``dos-mcp`` with flags it accepts."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos_mcp import _parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## MCP server")
    return text[start:text.index("\n## ", start + 1)]


def _servers() -> list[dict[str, Any]]:
    blocks = re.findall(r"```(json|toml)\n(.*?)```", _section(), flags=re.DOTALL)
    servers = []
    for kind, body in blocks:
        if kind == "json":
            servers.append(json.loads(body)["mcpServers"]["dos"])
        else:
            servers.append(tomllib.loads(body)["mcp_servers"]["dos"])
    return servers


def test_every_host_snippet_parses_and_names_dos_mcp() -> None:
    servers = _servers()
    assert len(servers) == 5  # .mcp.json, Claude Desktop, Cursor, Codex, Gemini
    for server in servers:
        assert Path(server["command"]).name == "dos-mcp"
        _parser().parse_args(server["args"])  # argparse exits on an unknown flag


@pytest.mark.parametrize("host", ["claude mcp add", "claude_desktop_config.json",
                                  ".cursor/mcp.json", "[mcp_servers.dos]", "settings.json"])
def test_each_host_is_covered(host: str) -> None:
    assert host in _section()
