"""dos guard becomes the host: a real process replaced by a stand-in ``claude``, ``codex`` or
``gemini`` on PATH that records the argv and environment it was given (and, for Gemini,
the settings file the environment names), so untrusted text is seen to arrive verbatim
and the injected Stop hook is seen to run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOST = """\
#!{python}
import json, os, stat, sys
seen = {{"argv": sys.argv[1:], "settings_env": os.environ.get("GEMINI_CLI_SYSTEM_SETTINGS_PATH")}}
if seen["settings_env"] and os.path.exists(seen["settings_env"]):
    path = seen["settings_env"]
    with open(path, encoding="utf-8") as handle:
        seen["settings"] = json.load(handle)
    seen["file_mode"] = stat.S_IMODE(os.stat(path).st_mode)
    seen["dir_mode"] = stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
with open(os.environ["ARGV_OUT"], "w") as out:
    json.dump(seen if os.path.basename(sys.argv[0]) != "claude" else sys.argv[1:], out)
sys.exit(7)
"""


def _guard(tmp_path: Path, *argv: str, host_name: str = "claude"
           ) -> tuple[subprocess.CompletedProcess[str], Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    host = bin_dir / host_name
    host.write_text(HOST.format(python=sys.executable), encoding="utf-8")
    host.chmod(0o755)
    record = tmp_path / "argv.json"
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "ARGV_OUT": str(record), "TMPDIR": str(tmp_path / "tmp"),
           "GEMINI_CLI_SYSTEM_SETTINGS_PATH": str(tmp_path / "no-system-settings.json")}
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(tmp_path), "guard",
                           *argv], env=env, capture_output=True, text=True, check=False,
                          timeout=60)
    return done, record


def _run_hook(command: str, event: dict[str, object]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, input=json.dumps(event), text=True,  # noqa: S602
                          capture_output=True, check=False, timeout=60)


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


def test_codex_gets_its_overrides_and_the_prompt_verbatim(tmp_path: Path) -> None:
    import tomllib

    marker = tmp_path / "pwned"
    prompt = f"ship it; touch {marker} $(touch {marker}) -c hooks.Stop=[]"
    done, record = _guard(tmp_path, "--verify-on-stop", "--claim-prompt", "--", "codex",
                          "exec", prompt, host_name="codex")
    assert done.returncode == 7, done.stderr
    assert "/hooks" in done.stderr  # the trust note, on stderr
    seen = json.loads(record.read_text(encoding="utf-8"))
    argv = seen["argv"]
    assert argv[-2:] == ["exec", prompt]
    assert not marker.exists()
    pairs = dict(argv[i + 1].split("=", 1) for i, word in enumerate(argv[:-2]) if word == "-c")
    assert set(pairs) == {"mcp_servers.dos.command", "mcp_servers.dos.args", "hooks.Stop",
                          "developer_instructions"}
    groups = tomllib.loads("v = " + pairs["hooks.Stop"])["v"]
    command = groups[0]["hooks"][0]["command"]
    event = {"hook_event_name": "Stop", "cwd": str(tmp_path), "session_id": "s",
             "stop_hook_active": False, "last_assistant_message": "All done.",
             "turn_id": "t", "model": "m", "permission_mode": "default",
             "transcript_path": None}
    ran = _run_hook(command, event)
    assert ran.returncode == 0, ran.stderr
    assert seen["settings_env"] == str(tmp_path / "no-system-settings.json")  # untouched


def test_gemini_reads_a_private_settings_file_whose_hook_runs(tmp_path: Path) -> None:
    import subprocess as sp

    sp.run(["git", "init", "-q", str(tmp_path)], check=True)
    prompt = "ship it; $(touch x) `id`"
    done, record = _guard(tmp_path, "--verify-on-stop", "--strict-mcp", "--", "gemini", "-p",
                          prompt, host_name="gemini")
    assert done.returncode == 7, done.stderr
    seen = json.loads(record.read_text(encoding="utf-8"))
    assert seen["argv"] == ["-p", prompt, "--allowed-mcp-server-names", "dos"]
    path = Path(seen["settings_env"])
    assert path.is_relative_to(tmp_path / "tmp")
    assert (seen["file_mode"], seen["dir_mode"]) == (0o600, 0o700)
    settings = seen["settings"]
    assert settings["mcpServers"]["dos"]["args"] == ["--workspace", str(tmp_path)]
    (group,) = settings["hooks"]["AfterAgent"]
    (handler,) = group["hooks"]
    assert (handler["type"], handler["timeout"]) == ("command", 30_000)
    event = {"hook_event_name": "AfterAgent", "cwd": str(tmp_path), "session_id": "s",
             "timestamp": "2026-01-01T00:00:00Z", "prompt": "p",
             "prompt_response": "All done.", "stop_hook_active": False}
    ran = _run_hook(handler["command"], event)
    assert ran.returncode == 0, ran.stderr
    # the same launch again reuses the same file; the repository got nothing
    again, _ = _guard(tmp_path, "--verify-on-stop", "--strict-mcp", "--", "gemini", "-p",
                      prompt, host_name="gemini")
    assert again.returncode == 7
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    status = sp.run(["git", "-C", str(tmp_path), "status", "--porcelain"], check=True,
                    capture_output=True, text=True).stdout.split("\n")
    assert not [line for line in status if line and not line[3:].startswith(
        ("bin/", "tmp/", "argv.json"))], status
