"""Every tool over a real stdio session answers exactly as its CLI verb's ``--json``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._support.mcp import connect, run_cli, same_answer

from dos._version import __version__
from dos.run_id import mint

pytestmark = pytest.mark.anyio

READERS = {"dos_verify", "dos_commit_audit", "dos_verify_result", "dos_verify_receipt",
           "dos_arbitrate", "dos_lease_live", "dos_liveness", "dos_status",
           "dos_refuse_reasons", "dos_check_reason", "dos_doctor", "dos_observe",
           "dos_decisions", "dos_top", "dos_exec_capability", "dos_arg_provenance",
           "dos_answer_shape", "dos_attempts", "dos_intent_show", "dos_resume",
           "dos_complete", "dos_rewind", "dos_enumerate", "dos_pickable",
           "dos_reconcile", "dos_gate", "dos_scout", "dos_health",
           "dos_pick_priority", "dos_memory", "dos_projects", "dos_learn",
           "dos_overlap_eval", "dos_intervention_eval", "dos_tool_stream_eval",
           "dos_precursor_gate_eval", "dos_judge_wedge", "dos_judge_eval",
           "dos_plan_lifecycle"}
WRITERS = {"dos_lease_acquire", "dos_lease_heartbeat", "dos_lease_release", "dos_next"}


async def test_the_tool_list_names_schemas_and_effects(workspace: Path, errlog: Path) -> None:
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        info = client.session.initialize_result
        listed = (await client.session.list_tools()).tools
    assert info is not None
    assert (info.server_info.name, info.server_info.version) == ("dos", __version__)
    assert "dos_verify" in (info.instructions or "")
    tools = {tool.name: tool for tool in listed}
    assert set(tools) == READERS | WRITERS
    for tool in listed:
        schema, hints = tool.input_schema, tool.annotations
        assert schema["type"] == "object"
        assert schema["additionalProperties"] is False, tool.name
        assert "workspace" in schema["properties"], tool.name
        assert tool.output_schema is not None
        assert tool.output_schema["type"] == "object"
        assert hints is not None, tool.name
        assert hints.open_world_hint is False, tool.name
        assert hints.read_only_hint is (tool.name in READERS), tool.name
        assert "--json" in (tool.description or ""), tool.name
    assert tools["dos_verify"].input_schema["required"] == ["plan", "phase"]
    assert tools["dos_verify"].input_schema["properties"]["min_grade"]["enum"] == [
        "none", "subject", "artifact", "registry-verified"]
    assert tools["dos_check_reason"].input_schema["required"] == ["token"]
    assert tools["dos_liveness"].input_schema["required"] == ["run_id"]
    assert tools["dos_verify_result"].input_schema["required"] == ["transcript"]
    acquire = tools["dos_lease_acquire"].annotations
    release = tools["dos_lease_release"].annotations
    assert acquire is not None
    assert release is not None
    assert (acquire.destructive_hint, acquire.idempotent_hint) == (False, False)
    assert (release.destructive_hint, release.idempotent_hint) == (True, True)


def _cases(workspace: Path, rid: str, now_ms: int) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(tool, arguments, the CLI command asking the same question)."""
    run = ["--run-id", rid, "--now-ms", str(now_ms)]
    return [
        ("dos_verify", {"plan": "AUTH", "phase": "AUTH1"}, ["verify", "AUTH", "AUTH1"]),
        ("dos_verify", {"plan": "AUTH", "phase": "AUTH2", "explain": True},
         ["verify", "AUTH", "AUTH2", "--explain"]),
        ("dos_verify", {"plan": "AUTH", "phase": "AUTH1", "min_grade": "registry-verified",
                        "ref": "HEAD~1"},
         ["verify", "AUTH", "AUTH1", "--min-grade", "registry-verified", "--ref", "HEAD~1"]),
        ("dos_commit_audit", {}, ["commit-audit"]),
        ("dos_commit_audit", {"ref": "HEAD~1"}, ["commit-audit", "HEAD~1"]),
        ("dos_commit_audit", {"ref": "HEAD~2..HEAD"}, ["commit-audit", "HEAD~2..HEAD"]),
        ("dos_commit_audit", {"ref": "HEAD", "sweep": True, "docs_ok": True},
         ["commit-audit", "HEAD", "--sweep", "--docs-ok"]),
        ("dos_verify_result", {"transcript": "runs/agent.jsonl"},
         ["verify-result", "--transcript", str(workspace / "runs/agent.jsonl")]),
        ("dos_verify_result", {"transcript": "runs/missing.jsonl"},
         ["verify-result", "--transcript", str(workspace / "runs/missing.jsonl")]),
        ("dos_arbitrate", {"lane": "src", "explain": True}, ["arbitrate", "--lane", "src",
                                                              "--explain"]),
        ("dos_arbitrate", {}, ["arbitrate"]),
        ("dos_arbitrate", {"lane": "global", "mode": "shared", "class_budget": ["docs=0"]},
         ["arbitrate", "--lane", "global", "--mode", "shared", "--class-budget", "docs=0"]),
        ("dos_arbitrate", {"lane": "docs", "leases": [{"lane": "docs", "tree": ["docs/**"],
                                                       "lease_id": 7}]},
         ["arbitrate", "--lane", "docs", "--leases",
          '[{"lane": "docs", "tree": ["docs/**"], "lease_id": 7}]']),
        ("dos_lease_live", {}, ["lease-lane", "live"]),
        ("dos_liveness", {"run_id": rid, "now_ms": now_ms}, ["liveness", *run]),
        ("dos_liveness", {"run_id": rid, "now_ms": now_ms, "start_sha": "HEAD~2"},
         ["liveness", *run, "--start-sha", "HEAD~2"]),
        ("dos_status", {"run_id": rid, "now_ms": now_ms, "start_sha": "HEAD~1"},
         ["status", *run, "--start-sha", "HEAD~1"]),
        ("dos_refuse_reasons", {}, ["man", "wedge"]),
        ("dos_check_reason", {"token": "self_modify"}, ["refuse", "self_modify"]),
        ("dos_check_reason", {"token": "LANE_PARKED"}, ["refuse", "LANE_PARKED"]),
        ("dos_check_reason", {"token": "MADE_UP"}, ["refuse", "MADE_UP"]),
        ("dos_doctor", {}, ["doctor"]),
        ("dos_doctor", {"check": True}, ["doctor", "--check"]),
        ("dos_attempts", {}, ["attempt", "list"]),
        ("dos_attempts", {"unit": "AUTH2", "limit": 1}, ["attempt", "list", "AUTH2",
                                                         "--limit", "1"]),
        ("dos_intent_show", {"run_id": rid}, ["intent", "show", rid]),
        ("dos_resume", {"run_id": rid}, ["resume", rid, "--no-record"]),
        ("dos_complete", {"run_id": rid}, ["complete", rid]),
        ("dos_rewind", {"run_id": rid}, ["rewind", rid]),
        ("dos_rewind", {"run_id": rid, "to_seq": 1}, ["rewind", rid, "--to", "1"]),
        ("dos_verify", {"plan": "AUTH", "phase": "AUTH1", "no_index": True},
         ["verify", "AUTH", "AUTH1", "--no-index"]),
    ]


async def test_each_tool_answers_as_its_cli_verb(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = ["--workspace", str(workspace)]
    rid = mint("worker").run_id
    taken = run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "src", "--owner", "w1",
                    "--run-id", rid, "--loop-ts", "L1", "--json")
    now_ms = taken.json["expires_at_ms"] - 299_000
    for argv in (["attempt", "record", "AUTH2", "--outcome", "blocked"],
                 ["intent", "start", rid, "--steps", "a,b"]):
        assert run_cli(capsys, *ws, *argv, "--json").code == 0
    cases = _cases(workspace, rid, now_ms)
    async with connect(*ws, errlog=errlog) as client:
        replies = [await client.call(tool, **arguments) for tool, arguments, _ in cases]
    seen_codes = set()
    for (tool, arguments, argv), reply in zip(cases, replies, strict=True):
        expected = run_cli(capsys, *ws, *argv, "--json")
        try:
            same_answer(reply, expected)
        except AssertionError as error:
            raise AssertionError(f"{tool} {arguments} differs from dos {argv}") from error
        seen_codes.add(expected.code)
    assert {0, 1} <= seen_codes  # both verdicts were asked for, not only the easy one
    assert replies[0].json["shipped"] is True
    assert replies[1].json["shipped"] is False
    assert replies[9].json["outcome"] == "refuse"  # src is held through the CLI
    assert replies[13].structured["result"][0]["holder"] == "w1"


async def test_resources_serve_the_workspace(workspace: Path, errlog: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ws = ["--workspace", str(workspace)]
    run_cli(capsys, *ws, "lease-lane", "acquire", "--lane", "docs", "--owner", "w2", "--json")
    async with connect(*ws, errlog=errlog) as client:
        uris = {str(r.uri) for r in (await client.session.list_resources()).resources}
        config = await client.read("dos://config")
        leases = await client.read("dos://leases")
        reasons = await client.read("dos://reasons")
    assert uris == {"dos://config", "dos://leases", "dos://reasons"}
    assert config["workspace"] == str(workspace)
    assert config["lanes"]["trees"]["src"] == ["src/**"]
    assert "LANE_PARKED" in {reason["key"] for reason in config["reasons"]}
    assert leases == run_cli(capsys, *ws, "lease-lane", "live", "--json").json
    assert [lease["holder"] for lease in leases] == ["w2"]
    assert reasons == run_cli(capsys, *ws, "man", "wedge", "--json").json


async def test_a_stateless_client_gets_the_same_answers(workspace: Path, errlog: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A 2026-07-28 client (``server/discover``, no handshake) is served too."""
    async with connect("--workspace", str(workspace), errlog=errlog, stateless=True) as client:
        version = client.session.protocol_version
        names = [tool.name for tool in (await client.session.list_tools()).tools]
        reply = await client.call("dos_verify", plan="AUTH", phase="AUTH1")
    assert version is not None
    assert version >= "2026-07-28"
    assert "dos_verify" in names
    same_answer(reply, run_cli(capsys, "--workspace", str(workspace), "verify", "AUTH", "AUTH1",
                               "--json"))
