"""`dos init --hooks HOST`: an idempotent merge into the host's own file, foreign
entries untouched, uninstall giving the file back byte for byte; `doctor --wiring`."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import HookRun

from dos.hooks.install import apply, plan_install, plan_uninstall, wiring
from dos.hooks.install_hosts import HOSTS
from dos.hooks.install_program import hook_program

# In this process dos runs as `python -m dos`: installs pin this interpreter's path.
DOS = hook_program()

# Foreign content in each host's file, written in styles a re-serialiser would change.
FOREIGN = {
    "claude-code": ('{"permissions":{"allow":["Bash(ls)"]},  "hooks": {"PreToolUse": [\n'
                    '  {"matcher": "Bash", "hooks": [{"type": "command", "command": '
                    '"my-linter \\u00e9"}]}]}}'),
    "codex": 'model = "gpt-5"   # mine\n\n[[hooks.PreToolUse]]\n[[hooks.PreToolUse.hooks]]\n'
             'type = "command"\ncommand = "my-linter"',
    "cursor": '{\n\t"version": 1,\n\t"hooks": {"stop": [{"command": "./notify.sh"}]}\n}\n',
    "gemini": '{"general": {"vimMode": true}, "hooks": {"BeforeTool": [{"matcher": '
              '"write_file", "hooks": [{"type": "command", "command": "lint", '
              '"timeout": 5000}]}]}}\n',
}
PATHS = {"claude-code": ".claude/settings.json", "codex": ".codex/config.toml",
         "cursor": ".cursor/hooks.json", "gemini": ".gemini/settings.json"}


@pytest.fixture
def init(dos_cli: Callable[..., HookRun]) -> Callable[..., HookRun]:
    def run(root: Path, *args: str) -> HookRun:
        return dos_cli("init", str(root), *args)
    return run


def _write(root: Path, host: str, text: str) -> Path:
    path = root / PATHS[host]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("host", HOSTS)
def test_install_twice_equals_once_and_uninstall_restores_bytes(
        host: str, tmp_path: Path, init: Callable[..., HookRun]) -> None:
    path = _write(tmp_path, host, FOREIGN[host])
    first = init(tmp_path, "--hooks", host)
    assert first.code == 0, first.stderr
    once = path.read_bytes()
    assert init(tmp_path, "--hooks", host).code == 0
    assert path.read_bytes() == once
    assert wiring(tmp_path, host).status == "WIRED"
    assert "my-linter" in once.decode() or "notify.sh" in once.decode() or "lint" in once.decode()
    done = init(tmp_path, "--hooks", host, "--uninstall")
    assert done.code == 0
    assert path.read_bytes() == FOREIGN[host].encode("utf-8")
    assert wiring(tmp_path, host).status == "NOT_WIRED"


@pytest.mark.parametrize("host", HOSTS)
def test_uninstall_deletes_a_file_dos_created(host: str, tmp_path: Path,
                                              init: Callable[..., HookRun]) -> None:
    assert init(tmp_path, "--hooks", host).code == 0
    assert (tmp_path / PATHS[host]).is_file()
    assert init(tmp_path, "--hooks", host, "--uninstall").code == 0
    assert not (tmp_path / PATHS[host]).exists()
    assert not (tmp_path / PATHS[host]).parent.exists()
    assert (tmp_path / "dos.toml").is_file()  # written by the first init, kept


def test_uninstall_after_a_foreign_edit_keeps_the_edit(tmp_path: Path) -> None:
    path = _write(tmp_path, "claude-code", FOREIGN["claude-code"])
    apply(tmp_path, plan_install(tmp_path, "claude-code"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["model"] = "opus"
    path.write_text(json.dumps(data), encoding="utf-8")
    apply(tmp_path, plan_uninstall(tmp_path, "claude-code"))
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after == {**json.loads(FOREIGN["claude-code"]), "model": "opus"}


def test_claude_code_entries_and_fail_closed(tmp_path: Path) -> None:
    apply(tmp_path, plan_install(tmp_path, "claude-code", fail_closed=True))
    hooks = json.loads((tmp_path / PATHS["claude-code"]).read_text(encoding="utf-8"))["hooks"]
    assert set(hooks) == {"PreToolUse", "PostToolUse", "Stop"}
    pre = hooks["PreToolUse"][0]["hooks"][0]
    assert pre == {"type": "command", "timeout": 10, "onFailure": "block",
                   "command": f"{DOS} hook pretool --dialect claude-code --on-error deny"}
    assert "onFailure" not in hooks["Stop"][0]["hooks"][0]
    found = wiring(tmp_path, "claude-code")
    assert (found.status, found.fail_closed) == ("WIRED", True)
    plan = plan_install(tmp_path, "claude-code")  # back to fail-open: a change, not a no-op
    assert (plan.action, plan.changes) == ("repaired", True)


def test_cursor_has_version_one_and_fail_closed_entries(tmp_path: Path) -> None:
    apply(tmp_path, plan_install(tmp_path, "cursor", fail_closed=True))
    data = json.loads((tmp_path / PATHS["cursor"]).read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["hooks"]["beforeShellExecution"] == [
        {"command": f"{DOS} hook pretool --dialect cursor --on-error deny", "timeout": 10,
         "failClosed": True}]
    assert data["hooks"]["stop"] == [{"command": f"{DOS} hook stop --dialect cursor",
                                      "timeout": 30}]


def test_gemini_timeouts_are_milliseconds(tmp_path: Path) -> None:
    apply(tmp_path, plan_install(tmp_path, "gemini"))
    hooks = json.loads((tmp_path / PATHS["gemini"]).read_text(encoding="utf-8"))["hooks"]
    assert hooks["BeforeTool"][0]["hooks"][0]["timeout"] == 10_000
    assert hooks["AfterAgent"][0]["hooks"][0]["timeout"] == 30_000
    assert isinstance(hooks["AfterTool"][0]["hooks"], list)


def test_codex_block_is_valid_toml_and_reminds_about_trust(
        tmp_path: Path, init: Callable[..., HookRun]) -> None:
    _write(tmp_path, "codex", FOREIGN["codex"])
    done = init(tmp_path, "--hooks", "codex")
    assert "/hooks" in done.stdout
    data = tomllib.loads((tmp_path / PATHS["codex"]).read_text(encoding="utf-8"))
    assert [h["hooks"][0]["command"] for h in data["hooks"]["PreToolUse"]] == [
        "my-linter", f"{DOS} hook pretool --dialect codex"]
    assert data["model"] == "gpt-5"


def test_codex_refuses_a_file_it_cannot_extend(tmp_path: Path,
                                               init: Callable[..., HookRun]) -> None:
    path = _write(tmp_path, "codex", 'hooks = { PreToolUse = [] }\n')
    done = init(tmp_path, "--hooks", "codex")
    assert done.code == 2
    assert "not valid TOML" in done.stderr
    assert path.read_text(encoding="utf-8") == 'hooks = { PreToolUse = [] }\n'


def test_codex_file_nested_past_the_stack_is_refused_and_drifted(
        tmp_path: Path, init: Callable[..., HookRun]) -> None:
    assert init(tmp_path, "--hooks", "codex").code == 0
    path = tmp_path / PATHS["codex"]
    deep = path.read_text(encoding="utf-8") + "x = " + "[" * 5_000 + "]" * 5_000 + "\n"
    path.write_text(deep, encoding="utf-8")
    assert wiring(tmp_path, "codex").status == "DRIFTED"
    done = init(tmp_path, "--hooks", "codex")
    assert done.code == 2
    assert "nested too deeply" in done.stderr
    assert path.read_text(encoding="utf-8") == deep


def test_json_file_nested_past_the_stack_is_drifted_never_a_crash(
        tmp_path: Path, init: Callable[..., HookRun], dos_cli: Callable[..., HookRun]) -> None:
    assert init(tmp_path, "--hooks", "claude-code").code == 0
    path = tmp_path / PATHS["claude-code"]
    deep = path.read_text(encoding="utf-8").rstrip()[:-1] + ', "x": ' + "[" * 100_000 + \
        "]" * 100_000 + "}"
    path.write_text(deep, encoding="utf-8")
    assert wiring(tmp_path, "claude-code").status == "DRIFTED"
    doctor = dos_cli("--workspace", str(tmp_path), "doctor")
    assert doctor.code == 1, doctor.stderr
    assert "nested too deeply" in doctor.stdout + doctor.stderr
    done = init(tmp_path, "--hooks", "claude-code")
    assert done.code == 2
    assert path.read_text(encoding="utf-8") == deep


def test_invalid_json_is_never_overwritten(tmp_path: Path, init: Callable[..., HookRun]) -> None:
    path = _write(tmp_path, "gemini", "{not json")
    done = init(tmp_path, "--hooks", "gemini")
    assert done.code == 2
    assert "not valid JSON" in done.stderr
    assert path.read_text(encoding="utf-8") == "{not json"
    assert wiring(tmp_path, "gemini").status == "DRIFTED"


def test_drift_is_reported_and_repaired(tmp_path: Path, init: Callable[..., HookRun],
                                        dos_cli: Callable[..., HookRun]) -> None:
    apply(tmp_path, plan_install(tmp_path, "claude-code"))
    path = tmp_path / PATHS["claude-code"]
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["hooks"]["Stop"]
    data["hooks"]["PreToolUse"][0]["hooks"][0]["command"] = "dos hook pretool --workspace ."
    path.write_text(json.dumps(data), encoding="utf-8")
    found = wiring(tmp_path, "claude-code")
    assert found.status == "DRIFTED"
    assert "Stop: missing" in found.detail
    assert "PreToolUse: edited" in found.detail
    report = dos_cli("--workspace", str(tmp_path), "doctor", "--wiring")
    assert report.code == 1
    assert "claude-code  DRIFTED" in report.stdout
    repaired = init(tmp_path, "--hooks", "claude-code")
    assert "repaired" in repaired.stdout
    assert wiring(tmp_path, "claude-code").status == "WIRED"
    pre = json.loads(path.read_text(encoding="utf-8"))["hooks"]["PreToolUse"]
    assert len(pre) == 1  # the edited entry was replaced, not kept beside the new one


def test_dry_run_writes_nothing(tmp_path: Path, init: Callable[..., HookRun]) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    done = init(target, "--hooks", "cursor", "--dry-run")
    assert done.code == 0
    assert "----- proposed hooks.json -----" in done.stdout
    assert '"version": 1' in done.stdout
    assert list(target.iterdir()) == []


def test_flags_need_hooks(tmp_path: Path, init: Callable[..., HookRun]) -> None:
    done = init(tmp_path, "--uninstall")
    assert done.code == 2
    assert "--hooks" in done.stderr


def test_existing_dos_toml_is_left_alone(tmp_path: Path, init: Callable[..., HookRun]) -> None:
    (tmp_path / "dos.toml").write_text("# mine\n", encoding="utf-8")
    assert init(tmp_path, "--hooks", "gemini").code == 0
    assert (tmp_path / "dos.toml").read_text(encoding="utf-8") == "# mine\n"


def test_json_output(tmp_path: Path, init: Callable[..., HookRun]) -> None:
    done = init(tmp_path, "--hooks", "codex", "--json")
    payload = json.loads(done.stdout)
    assert payload["action"] == "wired"
    assert payload["events"] == ["PreToolUse", "PostToolUse", "Stop"]
    assert any("/hooks" in note for note in payload["notes"])


def test_codex_block_from_an_older_installer_is_replaced(tmp_path: Path) -> None:
    old = ('model = "o3"\n\n# >>> dos hooks (managed by `dos init --hooks`) >>>\n'
           '[[hooks.PreToolUse]]\n[[hooks.PreToolUse.hooks]]\ntype = "command"\n'
           'command = "dos hook pretool --workspace . --dialect codex"\n# <<< dos hooks <<<\n')
    path = _write(tmp_path, "codex", old)
    assert wiring(tmp_path, "codex").status == "DRIFTED"
    apply(tmp_path, plan_install(tmp_path, "codex"))
    text = path.read_text(encoding="utf-8")
    assert text.count("# >>> dos hooks") == 1
    assert "--workspace ." not in text
    assert wiring(tmp_path, "codex").status == "WIRED"
    apply(tmp_path, plan_uninstall(tmp_path, "codex"))
    assert path.read_text(encoding="utf-8") == 'model = "o3"\n'
