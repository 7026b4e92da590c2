"""dos guard becomes the host: a real process replaced by a stand-in ``claude`` on PATH that
records the argv it was given, so untrusted text is seen to arrive verbatim."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOST = """\
#!{python}
import json, os, sys
with open(os.environ["ARGV_OUT"], "w") as out:
    json.dump(sys.argv[1:], out)
sys.exit(7)
"""


def _guard(tmp_path: Path, *argv: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    host = bin_dir / "claude"
    host.write_text(HOST.format(python=sys.executable), encoding="utf-8")
    host.chmod(0o755)
    record = tmp_path / "argv.json"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "ARGV_OUT": str(record)}
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(tmp_path), "guard",
                           *argv], env=env, capture_output=True, text=True, check=False,
                          timeout=60)
    return done, record


def test_the_host_gets_its_argv_verbatim_and_dos_flags_once(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    prompt = f"ship it; touch {marker} $(touch {marker}) `touch {marker}`"
    done, record = _guard(tmp_path, "--verify-on-stop", "--claim-prompt", "--strict-mcp",
                          "--", "claude", "-p", prompt)
    assert done.returncode == 7, done.stderr  # the host's own exit code
    argv = json.loads(record.read_text(encoding="utf-8"))
    assert argv[:2] == ["-p", prompt]
    assert not marker.exists()
    assert argv.count("--mcp-config") == argv.count("--settings") == 1
    mcp = json.loads(argv[argv.index("--mcp-config") + 1])
    assert mcp["mcpServers"]["dos"]["args"] == ["--workspace", str(tmp_path)]
    settings = json.loads(argv[argv.index("--settings") + 1])
    (stop,) = settings["hooks"]["Stop"][0]["hooks"]
    assert " hook stop --dialect claude-code --workspace " in stop["command"]
    assert "--strict-mcp-config" in argv
    assert "DOS-CLAIM" in argv[argv.index("--append-system-prompt") + 1]


def test_the_stop_hook_command_runs_this_dos(tmp_path: Path) -> None:
    done, record = _guard(tmp_path, "--verify-on-stop", "--no-mcp", "--", "claude")
    assert done.returncode == 7
    argv = json.loads(record.read_text(encoding="utf-8"))
    command = json.loads(argv[argv.index("--settings") + 1])["hooks"]["Stop"][0]["hooks"][0]
    event = json.dumps({"hook_event_name": "Stop", "cwd": str(tmp_path)})
    ran = subprocess.run(command["command"], shell=True, input=event, text=True,  # noqa: S602
                         capture_output=True, check=False, timeout=60)
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize("argv", [["--no-mcp", "--", "no-such-host-xyz"],
                                  ["--no-mcp", "no-such-host-xyz"]])
def test_a_host_not_on_path_is_127(tmp_path: Path, argv: list[str]) -> None:
    done, _ = _guard(tmp_path, *argv)
    assert done.returncode == 127
    assert "not found on PATH" in done.stderr
    assert "fix:" in done.stderr


def test_an_empty_host_command_is_exit_2(tmp_path: Path) -> None:
    done, _ = _guard(tmp_path, "--")
    assert done.returncode == 2
    assert "needs a host command" in done.stderr
