"""One store, every surface: leases taken by the CLI bind MCP callers and the reverse,
and the write tools answer as ``dos lease-lane``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import connect, run_cli

from dos.run_id import mint

pytestmark = pytest.mark.anyio

_CLOCK_KEYS = ("acquired_at_ms", "renewed_at_ms", "released_at_ms", "expires_at_ms")


def dos(workspace: Path, *argv: str) -> tuple[int, Any]:
    """The real CLI in its own process."""
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(workspace), *argv,
                           "--json"], capture_output=True, text=True, check=False, timeout=60)
    return done.returncode, json.loads(done.stdout)


async def test_a_cli_lease_binds_mcp_and_an_mcp_lease_binds_the_cli(
        workspace: Path, errlog: Path) -> None:
    code, cli_lease = dos(workspace, "lease-lane", "acquire", "--lane", "src",
                          "--owner", "cli-agent")
    assert code == 0
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        asked = await client.call("dos_arbitrate", lane="src")
        mcp_lease = await client.call("dos_lease_acquire", lane="docs", owner="mcp-agent")
        stolen = await client.call("dos_lease_release", lane="src", owner="mcp-agent")
        code, cli_asks = dos(workspace, "arbitrate", "--lane", "docs")
        code_live, live = dos(workspace, "lease-lane", "live")
        resource = await client.read("dos://leases")
        code_release, released = dos(workspace, "lease-lane", "release", "--lane", "docs",
                                     "--owner", "mcp-agent")
        after = await client.call("dos_arbitrate", lane="docs")
        everything = await client.call("dos_lease_live")
    assert (asked.json["outcome"], asked.exit_code) == ("refuse", 1)
    assert asked.json["blockers"] == [cli_lease["lease_id"]]
    assert (mcp_lease.json["outcome"], mcp_lease.exit_code) == ("acquire", 0)
    assert (stolen.json["released"], stolen.exit_code) == (False, 1)  # only the holder may
    assert (code, cli_asks["outcome"]) == (1, "refuse")
    assert cli_asks["blockers"] == [mcp_lease.json["lease_id"]]
    assert code_live == 0
    assert {(lease["lane"], lease["holder"]) for lease in live} == {
        ("src", "cli-agent"), ("docs", "mcp-agent")}
    assert resource == live
    assert (code_release, released["released"]) == (0, True)
    assert (after.json["outcome"], after.exit_code) == ("acquire", 0)
    assert [lease["holder"] for lease in everything.structured["result"]] == ["cli-agent"]


def _timeless(payload: Any) -> Any:
    return {key: value for key, value in payload.items() if key not in _CLOCK_KEYS}


async def test_the_write_tools_answer_as_lease_lane(workspace: Path, tmp_path: Path,
                                                    errlog: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Twin workspaces, the same steps: one through MCP, one through the CLI."""
    twin = tmp_path / "twin"
    shutil.copytree(workspace, twin)
    rid = mint("worker").run_id
    steps: list[tuple[str, dict[str, Any], list[str]]] = [
        ("dos_lease_acquire", {"owner": "w1", "lane": "src", "run_id": rid, "loop_ts": "L1",
                               "ttl_seconds": 120},
         ["acquire", "--owner", "w1", "--lane", "src", "--run-id", rid, "--loop-ts", "L1",
          "--ttl-seconds", "120"]),
        ("dos_lease_acquire", {"owner": "w2", "lane": "global", "loop_ts": "L2"},
         ["acquire", "--owner", "w2", "--lane", "global", "--loop-ts", "L2"]),
        ("dos_lease_acquire", {"owner": "w2", "kind": "global", "loop_ts": "L2"},
         ["acquire", "--owner", "w2", "--kind", "global", "--loop-ts", "L2"]),
        ("dos_lease_acquire", {"owner": "w3", "lane": "docs", "loop_ts": "L3",
                               "mode": "shared", "tree": ["docs/guide/**"]},
         ["acquire", "--owner", "w3", "--lane", "docs", "--loop-ts", "L3", "--mode", "shared",
          "--tree", "docs/guide/**"]),
        ("dos_lease_heartbeat", {"owner": "w1", "lane": "src"},
         ["heartbeat", "--owner", "w1", "--lane", "src"]),
        ("dos_lease_heartbeat", {"owner": "w9", "lane": "src"},
         ["heartbeat", "--owner", "w9", "--lane", "src"]),
        ("dos_lease_release", {"owner": "w1", "lane": "src"},
         ["release", "--owner", "w1", "--lane", "src"]),
        ("dos_lease_release", {"owner": "w1", "lane": "src"},
         ["release", "--owner", "w1", "--lane", "src"]),
        ("dos_lease_release", {"owner": "w3", "lease_id": 2},
         ["release", "--owner", "w3", "--lease-id", "2"]),
        ("dos_lease_live", {}, ["live"]),
    ]
    async with connect("--workspace", str(tmp_path), errlog=errlog) as client:
        replies = [await client.call(tool, workspace="ws", **arguments)
                   for tool, arguments, _ in steps]
    for (tool, arguments, argv), reply in zip(steps, replies, strict=True):
        expected = run_cli(capsys, "--workspace", str(twin), "lease-lane", *argv, "--json")
        assert not reply.is_error, reply.text
        want, got = expected.json, reply.json
        if isinstance(want, dict):
            want, got = _timeless(want), _timeless(got)
        else:
            want, got = [_timeless(w) for w in want], [_timeless(g) for g in got]
        assert (tool, arguments, got, reply.exit_code) == (tool, arguments, want, expected.code)
    # the second release of w1's lease is "already released": exit 0, like the mutex
    assert [reply.exit_code for reply in replies] == [0, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert replies[7].json["already_released"] is True
