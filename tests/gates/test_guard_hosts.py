"""dos guard --print-config gives each host its own documented form (hosts.md §4.1, §4.2,
§4.4): Claude Code flags, Codex ``-c`` overrides whose values are TOML, a Gemini system
settings file named through GEMINI_CLI_SYSTEM_SETTINGS_PATH — and writes nothing."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from tests.gates.conftest import Dos

GEMINI_ENV = "GEMINI_CLI_SYSTEM_SETTINGS_PATH"


@pytest.fixture(autouse=True)
def _no_system_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hermetic: no Gemini system settings in force, temporary files under tmp_path."""
    monkeypatch.setenv(GEMINI_ENV, str(tmp_path / "no-system-settings.json"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR


def _plan(dos: Dos, ws: Path, *argv: str) -> dict[str, Any]:
    ran = dos("--workspace", str(ws), "--json", "guard", "--print-config", *argv)
    assert ran.code == 0, ran.err
    assert ran.json["schema"] == {"family": "guard", "version": 1}
    return ran.json  # type: ignore[no-any-return]


def _stop_handler(groups: list[dict[str, Any]]) -> dict[str, Any]:
    (group,) = groups
    (handler,) = group["hooks"]  # event → matcher group → handlers
    assert handler["type"] == "command"
    return handler


def test_claude_gets_its_flags(dos: Dos, tmp_path: Path) -> None:
    plan = _plan(dos, tmp_path, "--verify-on-stop", "--claim-prompt", "--strict-mcp", "--",
                 "claude", "-p", "x")
    assert plan["dialect"] == "claude-code"
    argv = plan["argv"]
    assert argv[:3] == ["claude", "-p", "x"]
    mcp = json.loads(argv[argv.index("--mcp-config") + 1])
    assert mcp == plan["mcp_config"]
    assert mcp["mcpServers"]["dos"]["args"] == ["--workspace", str(tmp_path)]
    settings = json.loads(argv[argv.index("--settings") + 1])
    assert settings == plan["settings"]
    handler = _stop_handler(settings["hooks"]["Stop"])
    assert " hook stop --dialect claude-code --workspace " in handler["command"]
    assert "--strict-mcp-config" in argv
    assert "DOS-CLAIM" in argv[argv.index("--append-system-prompt") + 1]
    assert (plan["config_overrides"], plan["settings_file"], plan["env"]) == ([], None, {})


def _overrides(plan: dict[str, Any]) -> dict[str, Any]:
    """The -c options as one TOML document, each value parsed by tomllib."""
    argv = plan["argv"]
    pairs = [argv[i + 1] for i, word in enumerate(argv) if word == "-c"]
    assert pairs == plan["config_overrides"]
    merged: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        parsed = tomllib.loads("v = " + value)["v"]  # a valid TOML value, not a fallback
        *parents, leaf = key.split(".")
        table = merged
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = parsed
    return merged


def test_codex_gets_toml_overrides_before_the_subcommand(dos: Dos, tmp_path: Path) -> None:
    prompt = 'ship it; $(touch x) "quoted" \\ back'
    plan = _plan(dos, tmp_path, "--verify-on-stop", "--claim-prompt", "--", "codex", "exec",
                 prompt)
    assert plan["dialect"] == "codex"
    argv = plan["argv"]
    count = len(plan["config_overrides"])
    assert argv[0] == "codex"
    assert argv[1:1 + 2 * count:2] == ["-c"] * count  # root options, before `exec`
    assert argv[1 + 2 * count:] == ["exec", prompt]  # the host command, verbatim
    assert "--mcp-config" not in argv
    assert "--settings" not in argv
    config = _overrides(plan)
    assert config == plan["settings"]
    assert config["mcp_servers"]["dos"]["args"] == ["--workspace", str(tmp_path)]
    assert config["mcp_servers"]["dos"]["command"].endswith("dos-mcp")
    handler = _stop_handler(config["hooks"]["Stop"])
    assert f" hook stop --dialect codex --workspace {tmp_path}" in handler["command"]
    assert "DOS-CLAIM" in config["developer_instructions"]
    assert plan["append_system_prompt"] is None
    assert any("/hooks" in note for note in plan["notes"])  # Codex trusts hooks by hash


def test_codex_values_are_escaped_as_toml_basic_strings(dos: Dos, tmp_path: Path) -> None:
    odd = tmp_path / 'we"ird\\ws ü\tdel\x7f'
    odd.mkdir()
    plan = _plan(dos, odd, "--", "codex")
    config = _overrides(plan)
    assert config["mcp_servers"]["dos"]["args"] == ["--workspace", str(odd)]
    assert "\\u007F" in plan["config_overrides"][1]  # DEL is escaped, as TOML requires


@pytest.mark.parametrize("argv", [
    ["--", "codex", "exec", "-c", "mcp_servers.dos.command=other", "x"],
    ["--", "codex", "--config=mcp_servers={}", "exec", "x"],
    ["--verify-on-stop", "--no-mcp", "--", "codex", "-chooks.Stop=[]", "exec", "x"],
    ["--claim-prompt", "--no-mcp", "--", "codex", "exec", "-c",
     "developer_instructions='mine'", "x"],
    ["--strict-mcp", "--", "codex", "exec", "x"],
])
def test_codex_refuses_what_it_cannot_do_or_would_shadow(dos: Dos, tmp_path: Path,
                                                          argv: list[str]) -> None:
    ran = dos("--workspace", str(tmp_path), "guard", "--print-config", *argv)
    assert ran.code == 2, ran.out
    assert ran.err.startswith("dos: error:")
    assert "fix:" in ran.err


def test_codex_keeps_the_users_other_overrides(dos: Dos, tmp_path: Path) -> None:
    plan = _plan(dos, tmp_path, "--", "codex", "exec", "-c", 'model="o3"', "x")
    assert plan["argv"][-4:] == ["exec", "-c", 'model="o3"', "x"]


def test_gemini_gets_a_system_settings_file_named_by_env(dos: Dos, tmp_path: Path) -> None:
    plan = _plan(dos, tmp_path, "--verify-on-stop", "--", "gemini", "-p", "x")
    assert plan["dialect"] == "gemini"
    assert plan["argv"] == ["gemini", "-p", "x"]  # Gemini has no MCP flag
    settings = plan["settings"]
    dos_server = settings["mcpServers"]["dos"]
    assert dos_server["args"] == ["--workspace", str(tmp_path)]
    assert dos_server["command"].endswith("dos-mcp")
    handler = _stop_handler(settings["hooks"]["AfterAgent"])
    assert f" hook stop --dialect gemini --workspace {tmp_path}" in handler["command"]
    assert handler["timeout"] == 30_000  # milliseconds
    path = Path(plan["settings_file"])
    assert plan["env"] == {GEMINI_ENV: str(path)}
    assert path.is_relative_to(tmp_path / "tmp")  # a temporary file, not the repository
    assert not path.exists()  # --print-config writes nothing
    assert not path.parent.exists()
    text = dos("--workspace", str(tmp_path), "guard", "--print-config", "--", "gemini")
    assert f"{GEMINI_ENV}={path.parent}" in text.out  # (another path: other content)


def test_gemini_keeps_the_system_settings_in_force(dos: Dos, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "system.json"
    theirs = {"tools": {"exclude": ["run_shell_command"]}, "mcpServers": {"corp": {
        "command": "corp-mcp"}}, "hooks": {"AfterAgent": [{"hooks": [
            {"type": "command", "command": "audit.sh"}]}]}}
    system.write_text(json.dumps(theirs), encoding="utf-8")
    monkeypatch.setenv(GEMINI_ENV, str(system))
    plan = _plan(dos, tmp_path, "--verify-on-stop", "--strict-mcp", "--", "gemini", "-p", "x")
    settings = plan["settings"]
    assert settings["tools"] == theirs["tools"]
    assert set(settings["mcpServers"]) == {"corp", "dos"}
    first, ours = settings["hooks"]["AfterAgent"]
    assert first == theirs["hooks"]["AfterAgent"][0]
    assert "hook stop --dialect gemini" in ours["hooks"][0]["command"]
    assert plan["argv"] == ["gemini", "-p", "x", "--allowed-mcp-server-names", "dos"]
    assert json.loads(system.read_text(encoding="utf-8")) == theirs  # never edited


@pytest.mark.parametrize(("system", "argv"), [
    ("{not json", ["--", "gemini"]),
    ('{"hooks": {"AfterAgent": [{"hooks": [{"type": "command", "command": '
     '"dos hook stop --dialect gemini"}]}]}}', ["--verify-on-stop", "--", "gemini"]),
    ('{"mcpServers": []}', ["--", "gemini"]),
    ("{}", ["--claim-prompt", "--", "gemini", "-p", "x"]),
    ("{}", ["--strict-mcp", "--", "gemini", "--allowed-mcp-server-names", "a"]),
])
def test_gemini_refusals_are_usage_errors(dos: Dos, tmp_path: Path, system: str,
                                          argv: list[str], monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    path = tmp_path / "system.json"
    path.write_text(system, encoding="utf-8")
    monkeypatch.setenv(GEMINI_ENV, str(path))
    ran = dos("--workspace", str(tmp_path), "guard", "--print-config", *argv)
    assert ran.code == 2, ran.out
    assert "fix:" in ran.err


@pytest.mark.parametrize(("host", "dialect"), [
    (["C:\\tools\\Codex.EXE", "exec"], "codex"), (["/opt/bin/gemini"], "gemini"),
    (["claude.exe"], "claude-code")])
def test_the_dialect_comes_from_the_program_name(dos: Dos, tmp_path: Path, host: list[str],
                                                 dialect: str) -> None:
    assert _plan(dos, tmp_path, "--", *host)["dialect"] == dialect


def test_a_wrapper_names_its_dialect(dos: Dos, tmp_path: Path) -> None:
    plan = _plan(dos, tmp_path, "--dialect", "codex", "--", "my-codex", "exec", "x")
    assert plan["argv"][:2] == ["my-codex", "-c"]
    assert dos("--workspace", str(tmp_path), "guard", "--print-config", "--",
               "my-codex").code == 2


def test_an_unknown_host_is_launched_only_unchanged(dos: Dos, tmp_path: Path) -> None:
    plan = _plan(dos, tmp_path, "--no-mcp", "--", "aider", "--message", "x")
    assert (plan["argv"], plan["dialect"]) == (["aider", "--message", "x"], "unknown")
    refused = dos("--workspace", str(tmp_path), "guard", "--", "aider")
    assert refused.code == 2
    assert "claude-code, codex, gemini" in refused.err
