"""Drive ``dos-mcp`` through the SDK's own stdio client, and the CLI beside it."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from dos import cli

EXIT_CODE_KEY = "dispatch-os/exit_code"

DOS_TOML = """\
[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
autopick = ["src", "docs"]

[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**/*"]

[reasons.lane_parked]
category = "OPERATOR_GATE"
summary = "parked for the night"
fix = "wait for the morning"
"""

TRANSCRIPT = (json.dumps({"message": {"role": "user", "content": "go"}}) + "\n"
              + json.dumps({"message": {"role": "assistant", "model": "m",
                                        "content": [{"type": "text", "text": "done"}]}}) + "\n")


@dataclass(frozen=True)
class Reply:
    """One tool result, as the client saw it."""

    text: str
    structured: Any
    is_error: bool
    exit_code: int | None

    @property
    def json(self) -> Any:
        return json.loads(self.text)


@dataclass(frozen=True)
class CliAnswer:
    """One ``dos … --json`` run: its stdout line (newline stripped) and exit code."""

    text: str
    code: int

    @property
    def json(self) -> Any:
        return json.loads(self.text)


class Client:
    """A live MCP client session to a ``dos-mcp`` subprocess."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session

    async def call(self, name: str, **arguments: Any) -> Reply:
        result = await self.session.call_tool(name, arguments)
        texts = [block.text for block in result.content if block.type == "text"]
        assert len(texts) == 1, result
        meta = result.meta or {}
        return Reply(texts[0], result.structured_content, result.is_error,
                     meta.get(EXIT_CODE_KEY))

    async def read(self, uri: str) -> Any:
        result = await self.session.read_resource(uri)
        (content,) = result.contents
        return json.loads(content.text)  # type: ignore[union-attr]


@asynccontextmanager
async def connect(*server_args: str, errlog: Path, stateless: bool = False
                  ) -> AsyncIterator[Client]:
    """Start ``python -m dos_mcp SERVER_ARGS`` and open a session over stdio: the
    ``initialize`` handshake, or with ``stateless`` the 2026-07-28 ``server/discover``."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "dos_mcp", *server_args],
                                   env=dict(os.environ))
    with errlog.open("a", encoding="utf-8") as stderr:
        async with stdio_client(params, errlog=stderr) as (read, write), \
                ClientSession(read, write) as session:
            await (session.discover() if stateless else session.initialize())
            yield Client(session)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> CliAnswer:
    """``dos ARGV`` in this process; its stdout must be one JSON line."""
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    assert out.endswith("\n"), out
    return CliAnswer(out[:-1], code)


def _difference(tool: str, cli_text: str) -> str:
    """The keys whose values differ, so a mismatch says where, not only that."""
    import json

    try:
        left, right = json.loads(tool), json.loads(cli_text)
    except ValueError:
        return f"tool: {tool[:300]}\ncli:  {cli_text[:300]}"
    if not (isinstance(left, dict) and isinstance(right, dict)):
        return f"tool: {tool[:300]}\ncli:  {cli_text[:300]}"
    keys = sorted(key for key in {*left, *right} if left.get(key) != right.get(key))
    return "; ".join(f"{key}: tool {left.get(key)!r:.200} cli {right.get(key)!r:.200}"
                     for key in keys)


def same_answer(reply: Reply, cli_answer: CliAnswer) -> None:
    """The tool answered exactly as the CLI: the same JSON line, the same structured
    object, the same exit code."""
    assert not reply.is_error, reply.text
    assert reply.text == cli_answer.text, _difference(reply.text, cli_answer.text)
    expected = cli_answer.json
    assert reply.structured == (expected if isinstance(expected, dict) else {"result": expected})
    assert reply.exit_code == cli_answer.code
