"""dos_verify_receipt over a real stdio session answers exactly as `dos verify-receipt
--json`, confines its files to the workspace, and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.mcp import connect, run_cli, same_answer
from tests._support.receipts import ed25519_pair, secret_file

pytestmark = pytest.mark.anyio


def _mint(capsys: pytest.CaptureFixture[str], workspace: Path, key: str, out: str,
          command: str) -> None:
    capsys.readouterr()
    from dos.cli import main

    assert main(["--workspace", str(workspace), "attest", "--claim", "c", "--accept-cmd",
                 command, "--key-file", key, "--out", out]) in (0, 1)
    capsys.readouterr()


async def test_verify_receipt_tool_answers_as_the_cli(
        workspace: Path, errlog: Path, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    keys = workspace / "keys"
    keys.mkdir()
    private, public = ed25519_pair(keys, "ci")
    secret = secret_file(keys, "hmac.secret")
    _mint(capsys, workspace, str(private), "ok.json", "true")
    _mint(capsys, workspace, str(private), "refuted.json", "false")
    _mint(capsys, workspace, str(secret), "hmac.json", "true")
    tampered = json.loads((workspace / "ok.json").read_text(encoding="utf-8"))
    tampered["claim"] = "other"
    (workspace / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    cases = [
        ({"receipt": "ok.json", "key_files": ["keys/ci.pub"]}, ["ok.json", "keys/ci.pub"], []),
        ({"receipt": "tampered.json", "key_files": ["keys/ci.pub"]},
         ["tampered.json", "keys/ci.pub"], []),
        ({"receipt": "hmac.json", "key_files": ["keys/ci.pub"]},
         ["hmac.json", "keys/ci.pub"], []),
        ({"receipt": "refuted.json", "key_files": ["keys/ci.pub", "keys/hmac.secret"],
          "require_verdict": "CONFIRMED"}, ["refuted.json", "keys/ci.pub", "keys/hmac.secret"],
         ["--require-verdict", "CONFIRMED"]),
    ]
    async with connect("--workspace", str(workspace), errlog=errlog) as client:
        replies = [await client.call("dos_verify_receipt", **arguments)
                   for arguments, _, _ in cases]
        outside = tmp_path / "outside.pub"
        outside.write_bytes(public.read_bytes())
        escaped = await client.call("dos_verify_receipt", receipt="ok.json",
                                    key_files=[str(outside)])
        loose = await client.call("dos_verify_receipt", receipt="ok.json",
                                  key_files="keys/ci.pub")
    for (_, files, flags), reply in zip(cases, replies, strict=True):
        receipt, *key_files = files
        argv = ["--workspace", str(workspace), "verify-receipt", "--receipt",
                str(workspace / receipt), *[part for named in key_files
                                            for part in ("--key-file", str(workspace / named))]]
        same_answer(reply, run_cli(capsys, *argv, *flags, "--json"))
    assert [reply.exit_code for reply in replies] == [0, 1, 1, 1]
    assert replies[3].json["outcome"] == "VERDICT_UNMET"
    assert (escaped.is_error, escaped.exit_code) == (True, 2)
    assert "outside the server's workspace" in escaped.text
    assert (loose.is_error, loose.exit_code) == (True, 2)
