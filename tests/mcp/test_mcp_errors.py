"""A failed tool is an isError result with the message and its fix, never a protocol
error, and the server keeps serving; ``dos-mcp`` itself fails loudly and early."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests._support.mcp import connect

from dos import cli

pytestmark = pytest.mark.anyio


def _cli_error(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, int]:
    capsys.readouterr()
    code = cli.main(list(argv))
    return capsys.readouterr().err.strip(), code


async def test_failures_are_tool_errors_and_the_server_keeps_serving(
        workspace: Path, tmp_path: Path, errlog: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (workspace / "broken").mkdir()
    (workspace / "broken" / "dos.toml").write_text("[lanes]\nconcurrent = 5\n",
                                                   encoding="utf-8")
    ws = ["--workspace", str(workspace)]
    async with connect(*ws, errlog=errlog) as client:
        bad_ref = await client.call("dos_verify", plan="AUTH", phase="AUTH1", ref="no-such")
        flag_ref = await client.call("dos_commit_audit", ref=f"--output={tmp_path / 'x'}")
        bad_run = await client.call("dos_liveness", run_id="not-a-run")
        no_owner = await client.call("dos_lease_acquire", lane="src")
        bad_config = await client.call("dos_doctor", workspace="broken")
        bad_type = await client.call("dos_verify", plan="AUTH", phase=1)
        bad_grade = await client.call("dos_verify", plan="AUTH", phase="AUTH1",
                                      min_grade="vibes")
        unknown_arg = await client.call("dos_verify", plan="AUTH", phase="AUTH1", wrkspace=".")
        missing = await client.call("dos_check_reason")
        unknown_tool = await client.session.call_tool("dos_nope", {})
        still = await client.call("dos_verify", plan="AUTH", phase="AUTH1")
    for reply, argv in [(bad_ref, ["verify", "AUTH", "AUTH1", "--ref", "no-such"]),
                        (bad_run, ["liveness", "--run-id", "not-a-run"]),
                        (no_owner, ["lease-lane", "acquire", "--lane", "src"])]:
        err, code = _cli_error(capsys, *ws, *argv, "--json")
        assert reply.is_error
        assert (reply.text, reply.exit_code) == (err, code)  # the CLI's own words and code
        assert reply.structured["hint"]
        assert reply.structured["hint"] in err
    assert bad_ref.structured["kind"] == "GitError"
    assert flag_ref.is_error
    assert "is not a ref" in flag_ref.text
    assert not (tmp_path / "x").exists()  # the ref never reached git as an option
    assert bad_config.is_error
    assert bad_config.structured["kind"] == "ConfigError"
    assert "dos.toml" in bad_config.text
    for reply in (bad_type, bad_grade, unknown_arg, missing):
        assert reply.is_error, reply.text
        assert reply.exit_code == 2, reply.text  # a usage error, worded as the CLI's
        assert reply.text.startswith("dos: error: "), reply.text
    assert "wrkspace" in unknown_arg.text
    assert unknown_tool.is_error
    assert unknown_tool.content[0].text.startswith("dos: error: unknown tool 'dos_nope'")
    assert not still.is_error
    assert still.json["shipped"] is True


def _dos_mcp(*argv: str, env: dict[str, str] | None = None,
             stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dos_mcp", *argv], input=stdin,
                          capture_output=True, text=True, check=False, timeout=60,
                          env={**os.environ, **(env or {})})


def test_help_version_and_a_missing_workspace(tmp_path: Path) -> None:
    helped = _dos_mcp("--help")
    assert helped.returncode == 0
    assert "--allow-any-workspace" in helped.stdout
    assert "--workspace" in helped.stdout
    version = _dos_mcp("--version")
    assert (version.returncode, version.stdout.split()[0]) == (0, "dos-mcp")
    missing = _dos_mcp("--workspace", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "does not exist" in missing.stderr
    assert "fix:" in missing.stderr
    no_driver = _dos_mcp("--workspace", str(tmp_path), "--driver", "no_such_driver")
    assert no_driver.returncode == 2
    assert "no_such_driver" in no_driver.stderr


def test_end_of_input_ends_the_server_quietly(workspace: Path) -> None:
    done = _dos_mcp("--workspace", str(workspace))
    assert (done.returncode, done.stdout) == (0, "")


@pytest.mark.parametrize("stub", ["raise ImportError('No module named mcp')", ""])
def test_without_the_sdk_it_says_how_to_install_it(tmp_path: Path, stub: str) -> None:
    """No ``mcp`` at all, or a 1.x-shaped one without ``mcp.server.mcpserver``."""
    fake = tmp_path / "fake" / "mcp"
    (fake / "server").mkdir(parents=True)
    (fake / "__init__.py").write_text(stub + "\n", encoding="utf-8")
    (fake / "server" / "__init__.py").write_text("", encoding="utf-8")
    done = _dos_mcp("--workspace", str(tmp_path), env={"PYTHONPATH": str(tmp_path / "fake")})
    assert done.returncode == 2
    assert done.stdout == ""
    assert "pip install 'dispatch-os[mcp]'" in done.stderr
    assert "Traceback" not in done.stderr
