"""`dos init --skills` writes the pack into each host's skill folder, changes nothing the
second time, never replaces a skill someone edited (or dos did not write) without
--force, and writes nothing outside the workspace."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from tests._support.hooks import HookRun, run_cli

from dos.skills import skill_names, skill_text
from dos.skills.install import SKILL_DIRS, rendered

HOSTS = tuple(SKILL_DIRS)
Dos = Callable[..., HookRun]


@pytest.fixture
def dos(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Dos:
    def run(*argv: str) -> HookRun:
        return run_cli(capsys, monkeypatch, list(argv))
    return run


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _skill(root: Path, host: str, name: str) -> Path:
    return root / SKILL_DIRS[host] / name / "SKILL.md"


@pytest.mark.parametrize("host", HOSTS)
def test_every_skill_lands_in_the_hosts_folder_and_twice_changes_nothing(
        host: str, tmp_path: Path, dos: Dos) -> None:
    first = dos("init", str(tmp_path), "--skills", "--host", host, "--json")
    assert first.code == 0, first.stderr
    assert first.json["counts"] == {"written": len(skill_names())}
    assert first.json["config_written"] == str(tmp_path / "dos.toml")
    for name in skill_names():
        text = _skill(tmp_path, host, name).read_text(encoding="utf-8")
        head = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        assert head["name"] == name
        assert head["metadata"]["managed-by"] == "dos init --skills"
        assert text.endswith(skill_text(name).split("\n---\n", 1)[1])
    before = _files(tmp_path)
    again = dos("init", str(tmp_path), "--skills", "--host", host, "--json")
    assert again.code == 0
    assert again.json["counts"] == {"unchanged": len(skill_names())}
    assert _files(tmp_path) == before
    assert {path.split("/")[0] for path in before} == {SKILL_DIRS[host].split("/")[0],
                                                       "dos.toml"}


def test_chosen_skills_for_several_hosts(tmp_path: Path, dos: Dos) -> None:
    done = dos("init", str(tmp_path), "--skill", "dos-take-lane", "--skill", "dos-verify-claim",
               "--host", "codex", "--host", "gemini")
    assert done.code == 0, done.stderr
    written = {path for path in _files(tmp_path) if path.endswith("SKILL.md")}
    assert written == {f"{SKILL_DIRS[host]}/{name}/SKILL.md" for host in ("codex", "gemini")
                       for name in ("dos-take-lane", "dos-verify-claim")}
    assert "codex: 2 skill(s)" in done.stdout
    assert "gemini: 2 skill(s)" in done.stdout


def test_an_unknown_skill_is_exit_2_with_the_list_and_writes_nothing(
        tmp_path: Path, dos: Dos) -> None:
    done = dos("init", str(tmp_path), "--skill", "dos-take-lane", "--skill", "../../etc")
    assert done.code == 2
    assert "unknown skill '../../etc'" in done.stderr
    assert all(name in done.stderr for name in skill_names())
    assert _files(tmp_path) == {}


def test_an_edited_skill_is_kept_unless_force(tmp_path: Path, dos: Dos) -> None:
    assert dos("init", str(tmp_path), "--skills").code == 0
    path = _skill(tmp_path, "claude-code", "dos-take-lane")
    path.write_text(path.read_text(encoding="utf-8") + "\nour team's own step\n",
                    encoding="utf-8")
    edited = path.read_bytes()
    kept = dos("init", str(tmp_path), "--skills", "--json")
    row = next(row for row in kept.json["skills"] if row["name"] == "dos-take-lane")
    assert (row["action"], row["reason"]) == ("skipped", "edited since dos wrote it; "
                                              "--force replaces it")
    assert kept.json["counts"]["unchanged"] == len(skill_names()) - 1
    assert path.read_bytes() == edited
    toml = (tmp_path / "dos.toml").read_bytes()
    forced = dos("init", str(tmp_path), "--skills", "--force")
    assert forced.code == 0
    assert f"replaced {path}" in forced.stdout
    assert path.read_text(encoding="utf-8") == rendered("dos-take-lane")
    assert (tmp_path / "dos.toml").read_bytes() == toml  # --force here never touches it


def test_a_skill_dos_did_not_write_is_kept_unless_force(tmp_path: Path, dos: Dos) -> None:
    path = _skill(tmp_path, "cursor", "dos-dispatch")
    path.parent.mkdir(parents=True)
    path.write_text("---\nname: dos-dispatch\ndescription: mine\n---\n", encoding="utf-8")
    kept = dos("init", str(tmp_path), "--skill", "dos-dispatch", "--host", "cursor")
    assert "not written by dos; --force replaces it" in kept.stdout
    assert path.read_text(encoding="utf-8").endswith("description: mine\n---\n")
    assert dos("init", str(tmp_path), "--skill", "dos-dispatch", "--host", "cursor",
               "--uninstall").code == 0
    assert path.exists()
    dos("init", str(tmp_path), "--skill", "dos-dispatch", "--host", "cursor", "--force")
    assert path.read_text(encoding="utf-8") == rendered("dos-dispatch")


def _signed(text: str) -> str:
    """``text`` signed the way dos signs a copy it wrote (an older pack's copy)."""
    head, _, body = text.partition("\n---\n")
    marker = f"{head}\nmetadata:\n  managed-by: dos init --skills"
    digest = hashlib.sha256(f"{marker}\n---\n{body}".encode()).hexdigest()
    return f"{marker}\n  dos-digest: sha256:{digest}\n---\n{body}"


def test_an_unedited_copy_from_an_older_pack_is_updated(tmp_path: Path, dos: Dos) -> None:
    path = _skill(tmp_path, "claude-code", "dos-resume-run")
    path.parent.mkdir(parents=True)
    path.write_text(_signed(skill_text("dos-resume-run").replace("Resume", "Restart")),
                    encoding="utf-8")
    done = dos("init", str(tmp_path), "--skill", "dos-resume-run", "--json")
    assert done.json["skills"][0]["action"] == "updated"
    assert path.read_text(encoding="utf-8") == rendered("dos-resume-run")
    assert _signed(skill_text("dos-resume-run")) == rendered("dos-resume-run")


def test_dry_run_writes_nothing(tmp_path: Path, dos: Dos) -> None:
    done = dos("init", str(tmp_path), "--skills", "--host", "gemini", "--dry-run", "--json")
    assert done.code == 0
    assert done.json["dry_run"] is True
    assert done.json["counts"] == {"written": len(skill_names())}
    assert _files(tmp_path) == {}


def test_uninstall_removes_only_pristine_copies(tmp_path: Path, dos: Dos) -> None:
    assert dos("init", str(tmp_path), "--skills", "--host", "codex").code == 0
    edited = _skill(tmp_path, "codex", "dos-replan")
    edited.write_text(edited.read_text(encoding="utf-8") + "mine\n", encoding="utf-8")
    done = dos("init", str(tmp_path), "--skills", "--host", "codex", "--uninstall", "--json")
    assert done.json["counts"] == {"removed": len(skill_names()) - 1, "skipped": 1}
    assert [path for path in _files(tmp_path) if path.endswith("SKILL.md")] == [
        ".agents/skills/dos-replan/SKILL.md"]


@pytest.mark.parametrize("link", [".claude", ".claude/skills/dos-take-lane",
                                  ".claude/skills/dos-take-lane/SKILL.md"])
def test_a_link_leading_outside_the_workspace_is_refused(
        link: str, tmp_path: Path, dos: Dos) -> None:
    root, outside = tmp_path / "ws", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    if link.endswith(".md"):
        (outside / "SKILL.md").write_text("theirs\n", encoding="utf-8")
        (root / link).symlink_to(outside / "SKILL.md")
    else:
        (root / link).symlink_to(outside, target_is_directory=True)
    done = dos("init", str(root), "--skills")
    assert done.code == 2, done.stderr
    assert "outside the workspace" in done.stderr
    assert "fix: dos writes skills only inside the workspace" in done.stderr
    assert _files(outside) == ({"SKILL.md": b"theirs\n"} if link.endswith(".md") else {})
    assert not (root / "dos.toml").exists()


@pytest.mark.parametrize("argv", [["--host", "codex"], ["--skills", "--hooks", "codex"],
                                  ["--skills", "--example", "workshop"],
                                  ["--skills", "--host", "vscode"]])
def test_flags_that_do_not_go_together(argv: list[str], tmp_path: Path, dos: Dos) -> None:
    done = dos("init", str(tmp_path), *argv)
    assert done.code == 2, done.stderr
    assert _files(tmp_path) == {}


def test_text_answer_names_each_file(tmp_path: Path, dos: Dos) -> None:
    done = dos("init", str(tmp_path), "--skill", "dos-next-up")
    assert done.stdout.splitlines() == [
        f"wrote {tmp_path / 'dos.toml'}",
        f"wrote {_skill(tmp_path, 'claude-code', 'dos-next-up')}",
        f"claude-code: 1 skill(s) in {tmp_path / '.claude/skills'} — 1 written"]
    assert json.loads(dos("init", str(tmp_path), "--skill", "dos-next-up", "--json").stdout)[
        "counts"] == {"unchanged": 1}
