"""Hostile tool calls cannot hang the server, move its store outside its workspace, or
get an answer in any words but the CLI's ``dos: error: … fix: …``; after each one the
server answers the next call normally."""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from tests._support.mcp import DOS_TOML, Client, Reply, connect, run_cli

from dos.config import load_workspace_config
from dos.errors import UsageError
from dos_mcp.arguments import MAX_DEPTH, check_arguments
from dos_mcp.catalogue import build_tools
from dos_mcp.confine import MAX_FILE_BYTES, Confinement
from dos_mcp.params import RANGES
from dos_mcp.session import Session

pytestmark = pytest.mark.anyio

_GOOD = ("dos_check_reason", {"token": "self_modify"})


def assert_refused(reply: Reply, *phrases: str) -> None:
    """An isError result in the CLI's words, with its fix, naming each phrase."""
    assert reply.is_error, reply.text
    assert reply.text.startswith("dos: error: "), reply.text
    assert "\n  fix: " in reply.text, reply.text
    for raw in ("validation error", "pydantic", "Input should", "Error executing tool"):
        assert raw not in reply.text, reply.text
    for phrase in phrases:
        assert phrase in reply.text, (phrase, reply.text)


async def answers_normally(client: Client) -> None:
    tool, arguments = _GOOD
    reply = await client.call(tool, **arguments)
    assert not reply.is_error, reply.text
    assert (reply.json["token"], reply.exit_code) == ("SELF_MODIFY", 0)


# --- a transcript that is not a plain file cannot hang the server -------------------------


async def test_a_fifo_transcript_is_refused_without_blocking(workspace: Path,
                                                             errlog: Path) -> None:
    os.mkfifo(workspace / "runs" / "pipe.jsonl")
    (workspace / "runs" / "to-pipe.jsonl").symlink_to(workspace / "runs" / "pipe.jsonl")
    (workspace / "runs" / "dir.jsonl").mkdir()
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        started = time.monotonic()
        fifo = await client.call("dos_verify_result", transcript="runs/pipe.jsonl")
        linked = await client.call("dos_verify_result", transcript="runs/to-pipe.jsonl")
        elapsed = time.monotonic() - started
        directory = await client.call("dos_verify_result", transcript="runs/dir.jsonl")
        healthy = await client.call("dos_verify_result", transcript="runs/agent.jsonl")
    assert elapsed < 10  # refused on sight, not after the 60 s call timeout
    for reply in (fifo, linked):
        assert_refused(reply, "pipe.jsonl is a FIFO (named pipe), not a regular file",
                       "pass the transcript as a regular file")
        assert reply.exit_code == 2
    assert_refused(directory, "is a directory, not a regular file")
    assert (healthy.json["state"], healthy.exit_code) == ("HEALTHY", 0)


async def test_a_device_transcript_is_refused(workspace: Path, errlog: Path) -> None:
    async with connect("--workspace", str(workspace), "--allow-any-workspace",
                       errlog=errlog) as client:
        zero = await client.call("dos_verify_result", transcript="/dev/zero")
        await answers_normally(client)
    assert_refused(zero, "/dev/zero is a character device, not a regular file")


async def test_a_transcript_over_the_size_limit_is_refused(workspace: Path,
                                                           errlog: Path) -> None:
    with (workspace / "runs" / "huge.jsonl").open("wb") as huge:
        huge.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is spent
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        reply = await client.call("dos_verify_result", transcript="runs/huge.jsonl")
        await answers_normally(client)
    assert_refused(reply, f"is {MAX_FILE_BYTES + 1} bytes, over the {MAX_FILE_BYTES}-byte "
                          "limit", "at most 64 MiB")


def test_the_size_limit_admits_a_file_of_exactly_that_size(tmp_path: Path) -> None:
    fence = Confinement(tmp_path.resolve())
    (tmp_path / "ten").write_bytes(b"x" * 10)
    (tmp_path / "eleven").write_bytes(b"x" * 11)
    assert fence.file("ten", base=fence.root, what="transcript", limit=10).name == "ten"
    with pytest.raises(UsageError, match="11 bytes, over the 10-byte limit"):
        fence.file("eleven", base=fence.root, what="transcript", limit=10)
    missing = fence.file("missing", base=fence.root, what="transcript", limit=10)
    assert missing == fence.root / "missing"  # left for the verdict: UNREADABLE, as the CLI


# --- a call that outlives the call timeout is answered, and the server serves on ----------


def _hold_the_store(workspace: Path, capsys: pytest.CaptureFixture[str]) -> sqlite3.Connection:
    """Take the store's write lock, as a stuck writer would."""
    assert run_cli(capsys, "--workspace", str(workspace), "store", "migrate", "--json").code == 0
    holder = sqlite3.connect(workspace / ".dos" / "dos.db", isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    return holder


async def test_a_call_over_the_timeout_is_an_error_and_the_server_serves_on(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (workspace / "dos.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[store]\nbusy_timeout_ms = 30000\n")
    holder = _hold_the_store(workspace, capsys)
    async with connect("--workspace", str(workspace), "--call-timeout", "1",
                       errlog=errlog) as client:
        stuck: dict[str, Reply] = {}

        async def call(name: str, owner: str, lane: str) -> None:
            stuck[owner] = await client.call(name, owner=owner, lane=lane)

        started = time.monotonic()
        async with anyio.create_task_group() as calls:
            calls.start_soon(call, "dos_lease_acquire", "w1", "src")
            await anyio.sleep(0.3)  # w2 queues behind w1, which holds the store
            calls.start_soon(call, "dos_lease_acquire", "w2", "docs")
        elapsed = time.monotonic() - started
        verdict = await client.call("dos_verify", plan="AUTH", phase="AUTH1")
        await answers_normally(client)
        holder.rollback()
        holders = await _holders_once_settled(client)
    assert elapsed < 10
    assert_refused(stuck["w1"], "took longer than the call timeout (1 s) and was abandoned",
                   "may still finish in the background", "--call-timeout")
    assert_refused(stuck["w2"], "busy for longer than the call timeout (1 s)",
                   "this call did not run")
    assert stuck["w1"].exit_code == stuck["w2"].exit_code == 75  # EX_TEMPFAIL: retry
    assert verdict.json["shipped"] is True
    assert holders == ["w1"]  # the abandoned call finished; the one that did not run never will


async def _holders_once_settled(client: Client) -> list[str]:
    for _ in range(50):
        live = await client.call("dos_lease_live")
        assert not live.is_error, live.text
        if live.structured["result"]:
            await anyio.sleep(0.5)  # time enough for a stray w2 to show up too
            live = await client.call("dos_lease_live")
            return sorted(lease["holder"] for lease in live.structured["result"])
        await anyio.sleep(0.1)
    return []


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "86401"])
def test_the_call_timeout_must_be_finite_and_positive(tmp_path: Path, value: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dos_mcp", "--workspace", str(tmp_path),
                           f"--call-timeout={value}"], capture_output=True, text=True,
                          check=False, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("dos-mcp: error: --call-timeout must be more than 0 and "
                                  "at most 86400 seconds"), done.stderr
    assert "fix: pass --call-timeout SECONDS" in done.stderr


# --- a nested dos.toml cannot move the store outside the served workspace ------------------


def _nested_cases(outside: Path) -> list[tuple[str, str]]:
    """(dos.toml of a directory inside the workspace, what the refusal names)."""
    return [
        (f'[store]\nurl = "sqlite:///{outside}/elsewhere.db"\n', "the store"),
        ('[store]\nurl = "sqlite:///../../elsewhere.db"\n', "the store"),
        (f'[paths]\nstore = "{outside}/elsewhere.db"\n', "[paths] store"),
        ('[paths]\nlane_journal = "../../journal.jsonl"\n', "[paths] lane_journal"),
        ('[paths]\nplans_glob = "../../**/*-plan.md"\n', "[paths] plans_glob"),
        ('[store]\nurl = "postgresql://dos:s3cret@db.example/dos"\n', "dos:***@db.example"),
    ]


async def test_a_nested_dos_toml_cannot_move_the_store_outside(
        workspace: Path, tmp_path: Path, errlog: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    cases = _nested_cases(outside)
    for index, (toml, _) in enumerate(cases):
        (workspace / f"nested{index}").mkdir()
        (workspace / f"nested{index}" / "dos.toml").write_text(toml, encoding="utf-8")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = [await client.call("dos_lease_acquire", owner="w", lane="src",
                                     workspace=f"nested{index}")
                   for index in range(len(cases))]
        reads = await client.call("dos_lease_live", workspace="nested0")
        own = await client.call("dos_lease_acquire", owner="w", lane="src")
    for (_, named), reply in zip(cases, replies, strict=True):
        assert_refused(reply, "outside the server's workspace", named,
                       "serve that workspace with its own dos-mcp --workspace DIR")
        assert reply.exit_code == 2
    assert "s3cret" not in replies[-1].text
    assert_refused(reads, "nested0/dos.toml puts the store outside")
    assert (own.json["outcome"], own.exit_code) == ("acquire", 0)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "elsewhere.db").exists()
    assert not (tmp_path / "journal.jsonl").exists()


async def test_a_nested_store_inside_the_workspace_is_used(workspace: Path,
                                                           errlog: Path) -> None:
    (workspace / "nested").mkdir()
    (workspace / "nested" / "dos.toml").write_text(
        DOS_TOML + '\n[store]\nurl = "sqlite:///inner.db"\n', encoding="utf-8")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        taken = await client.call("dos_lease_acquire", owner="w", lane="src",
                                  workspace="nested")
    assert (taken.json["outcome"], taken.exit_code) == ("acquire", 0)
    assert (workspace / "nested" / "inner.db").is_file()


async def test_the_servers_own_dos_toml_and_allow_any_may_place_the_store(
        workspace: Path, tmp_path: Path, errlog: Path) -> None:
    """The boundary is the workspaces a call names: the operator's choices stand."""
    shared = tmp_path / "shared"
    shared.mkdir()
    with (workspace / "dos.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[store]\nurl = "sqlite:///{shared}/own.db"\n')
    (workspace / "nested").mkdir()
    (workspace / "nested" / "dos.toml").write_text(
        f'[store]\nurl = "sqlite:///{shared}/nested.db"\n', encoding="utf-8")
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        own = await client.call("dos_lease_acquire", owner="w", lane="src")
    async with connect("--workspace", str(workspace), "--allow-any-workspace",
                       errlog=errlog) as client:
        nested = await client.call("dos_lease_acquire", owner="w", lane="global",
                                   workspace="nested")
    assert (own.json["outcome"], nested.json["outcome"]) == ("acquire", "acquire")
    assert sorted(path.name for path in shared.iterdir() if path.suffix == ".db") == [
        "nested.db", "own.db"]


def test_a_workspace_resolving_outside_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root, away = (tmp_path / "root").resolve(), (tmp_path / "away").resolve()
    (root / "nested").mkdir(parents=True)
    away.mkdir()
    (root / "nested" / "dos.toml").write_text(f'[store]\nurl = "sqlite:///{away}/x.db"\n',
                                              encoding="utf-8")
    fence = Confinement(root)
    with pytest.raises(UsageError, match="puts its root outside the server's workspace"):
        fence.check_config(load_workspace_config(away))
    with pytest.raises(UsageError, match="puts the store outside"):
        fence.check_config(load_workspace_config(root / "nested"))
    monkeypatch.setenv("DOS_STORE_URL", f"sqlite:///{away}/operator.db")
    fence.check_config(load_workspace_config(root / "nested"))  # the operator's choice wins
    Confinement(root, allow_any=True).check_config(load_workspace_config(away))


# --- every refusal is in the CLI's words, and the server answers the next call ------------


def _bad_calls() -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(tool, arguments, phrases its refusal names)."""
    deep: Any = "x"
    for _ in range(MAX_DEPTH + 2):
        deep = [deep]
    verify = {"plan": "AUTH", "phase": "AUTH1"}
    return [
        # bad types: not coerced
        ("dos_verify", {"plan": "AUTH", "phase": 1},
         ("argument 'phase' must be a string, got 1 (a number)", "pass phase as a string")),
        ("dos_verify", {**verify, "explain": "yes"}, ("'explain' must be true or false",)),
        ("dos_lease_acquire", {"owner": "w", "ttl_seconds": True},
         ("'ttl_seconds' must be a number, got true (a boolean)",)),
        ("dos_lease_acquire", {"owner": "w", "ttl_seconds": "300"},
         ("'ttl_seconds' must be a number, got \"300\" (a string)",)),
        ("dos_arbitrate", {"tree": ["src/**", 1]},
         ("'tree' must be a list of strings or null",)),
        ("dos_verify", {**verify, "min_grade": "vibes"},
         ('must be one of "none", "subject", "artifact", "registry-verified"',)),
        # missing and unknown arguments, unknown tools
        ("dos_check_reason", {}, ("missing required argument 'token'", "pass token (a string)")),
        ("dos_verify", {"phase": "AUTH1", "wrkspace": "."},
         ("missing required argument 'plan'", "unknown argument 'wrkspace'",
          "did you mean workspace?")),
        ("dos_verfy", verify, ("unknown tool 'dos_verfy'", "did you mean dos_verify?")),
        # out-of-range numbers
        ("dos_lease_acquire", {"owner": "w", "ttl_seconds": -5},
         ("'ttl_seconds' is out of range: -5", "greater than 0 and at most 31536000")),
        ("dos_lease_acquire", {"owner": "w", "ttl_seconds": 1e300}, ("out of range: 1e+300",)),
        ("dos_liveness", {"run_id": "RID-1M8HSC4V72JNYG0", "now_ms": -1},
         ("'now_ms' is out of range: -1",)),
        ("dos_liveness", {"run_id": "RID-1M8HSC4V72JNYG0", "now_ms": 2**64},
         ("'now_ms' is out of range", "64-bit integer")),
        ("dos_liveness", {"run_id": "RID-1M8HSC4V72JNYG0", "pid": 0},
         ("'pid' is out of range: 0",)),
        ("dos_lease_release", {"owner": "w", "lease_id": 0}, ("'lease_id' is out of range",)),
        ("dos_lease_heartbeat", {"owner": "w", "coalesce_within_s": -1.5},
         ("'coalesce_within_s' is out of range",)),
        ("dos_arbitrate", {"leases": [{"lane": "src", "lease_id": 2**70}]},
         ("'leases[0].lease_id' is out of range",)),
        # NUL, text that was not UTF-8, nesting
        ("dos_verify", {"plan": "AUTH", "phase": "AUTH\x001"}, ("'phase' contains a NUL",)),
        ("dos_verify", {**verify, "workspace": "src\x00"}, ("'workspace' contains a NUL",)),
        ("dos_verify_result", {"transcript": "runs/agent.jsonl\x00"}, ("contains a NUL",)),
        ("dos_arbitrate", {"leases": [{"holder": "w\x00"}]},
         ("'leases[0].holder' contains a NUL",)),
        ("dos_lease_acquire", {"owner": "w\ufffd"}, ("'owner' is not valid UTF-8",)),
        ("dos_arbitrate", {"leases": [{"tree": deep}]},
         (f"is nested more than {MAX_DEPTH} deep",)),
        # path escapes
        ("dos_verify", {**verify, "workspace": ".."}, ("outside the server's workspace",
                                                       "--allow-any-workspace")),
        ("dos_verify_result", {"transcript": "/etc/passwd"}, ("outside the server's workspace",)),
    ]


async def test_bad_arguments_are_refused_in_the_clis_words(workspace: Path,
                                                           errlog: Path) -> None:
    cases = _bad_calls()
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = []
        for tool, arguments, _ in cases:
            result = await client.session.call_tool(tool, arguments)
            texts = [block.text for block in result.content if block.type == "text"]
            replies.append(Reply(texts[0], result.structured_content, result.is_error,
                                 (result.meta or {}).get("dispatch-os/exit_code")))
            await answers_normally(client)
    for (tool, arguments, phrases), reply in zip(cases, replies, strict=True):
        assert_refused(reply, *phrases)
        assert (reply.exit_code, reply.structured["kind"]) == (2, "UsageError"), (tool, arguments)


def _wire(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode() + b"\n"


def _raw_exchange(workspace: Path, calls: list[bytes]) -> list[dict[str, Any]]:
    """Speak JSON-RPC to ``dos-mcp`` byte for byte (for what the SDK client cannot send):
    the handshake, then each call line, reading its answer before the next."""
    hello = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
             "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                        "clientInfo": {"name": "raw", "version": "0"}}}
    with subprocess.Popen([sys.executable, "-m", "dos_mcp", "--workspace", str(workspace)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as server:
        assert server.stdin is not None
        assert server.stdout is not None
        stdin, stdout = server.stdin, server.stdout

        def ask(line: bytes) -> dict[str, Any]:
            stdin.write(line)
            stdin.flush()
            ready, _, _ = select.select([stdout], [], [], 30)
            assert ready, "no answer within 30 s"
            answer: dict[str, Any] = json.loads(stdout.readline())
            return answer

        ask(_wire(hello))
        stdin.write(_wire({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        return [ask(line) for line in calls]


def _call_line(request_id: int, name: str, arguments: str) -> bytes:
    return (b'{"jsonrpc": "2.0", "id": %d, "method": "tools/call", "params": {"name": "%s", '
            b'"arguments": %s}}\n' % (request_id, name.encode(), arguments.encode("latin-1")))


def test_bytes_that_are_not_utf8_and_nan_on_the_wire_are_refused(workspace: Path) -> None:
    answers = _raw_exchange(workspace, [
        _call_line(1, "dos_verify", '{"plan": "AUTH", "phase": "AUTH1\xff"}'),
        _call_line(2, "dos_lease_acquire", '{"owner": "w", "ttl_seconds": NaN}'),
        _call_line(3, "dos_lease_acquire", '{"owner": "w", "ttl_seconds": Infinity}'),
        _call_line(4, "dos_verify", '{"plan": "AUTH", "phase": "AUTH1"}'),
    ])
    texts = [answer["result"]["content"][0]["text"] for answer in answers]
    errors = [answer["result"].get("isError", False) for answer in answers]
    assert errors == [True, True, True, False]
    assert texts[0].startswith("dos: error: dos_verify: argument 'phase' is not valid UTF-8")
    assert texts[1].startswith("dos: error: dos_lease_acquire: argument 'ttl_seconds' is nan")
    assert texts[2].startswith("dos: error: dos_lease_acquire: argument 'ttl_seconds' is inf")
    assert all("\n  fix: " in text for text in texts[:3])
    assert json.loads(texts[3])["shipped"] is True


def test_lone_surrogates_are_refused(tmp_path: Path) -> None:
    """JSON on stdio cannot carry one; a caller in the same process can."""
    tools = {tool.name: tool for tool in build_tools(Session(Confinement(tmp_path)))}
    with pytest.raises(UsageError, match=r"'phase' is not valid UTF-8 .*lone surrogate"):
        check_arguments(tools["dos_verify"], {"plan": "AUTH", "phase": "\udcff"})
    check_arguments(tools["dos_verify"], {"plan": "AUTH", "phase": "AUTH1"})


async def test_every_numeric_argument_has_a_published_range(workspace: Path,
                                                            errlog: Path) -> None:
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        listed = (await client.session.list_tools()).tools
    numeric: set[str] = set()
    for tool in listed:
        for name, schema in tool.input_schema["properties"].items():
            for option in schema.get("anyOf", [schema]):
                if option.get("type") in ("integer", "number"):
                    numeric.add(name)
                    assert option["maximum"] == RANGES[name][1], (tool.name, name)
    assert numeric == set(RANGES)
    acquire = next(tool for tool in listed if tool.name == "dos_lease_acquire")
    assert acquire.input_schema["properties"]["ttl_seconds"]["exclusiveMinimum"] == 0
