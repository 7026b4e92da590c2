"""`dos init --hooks HOST` writes only inside the workspace: a host's config folder,
its config file, or `.dos` that is a symlink leading out is refused with exit 2 and
nothing is written; `doctor --wiring` calls such wiring DRIFTED. Links that stay
inside the workspace are followed, and stay links."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.hooks import HookRun

from dos.hooks.install import wiring
from dos.hooks.install_hosts import HOSTS, spec_for


def _workspace(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "ws", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    return root, outside


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("host", HOSTS)
def test_a_config_folder_linked_outside_is_refused(host: str, tmp_path: Path,
                                                   dos_cli: Callable[..., HookRun]) -> None:
    root, outside = _workspace(tmp_path)
    folder = Path(spec_for(host).path).parent
    (root / folder).symlink_to(outside, target_is_directory=True)
    for extra in ((), ("--uninstall",)):
        done = dos_cli("init", str(root), "--hooks", host, *extra)
        assert done.code == 2, done.stderr
        assert "outside the workspace" in done.stderr
        assert "fix:" in done.stderr
    assert _snapshot(outside) == {}
    found = wiring(root, host)
    assert (found.status, "outside the workspace" in found.detail) == ("DRIFTED", True)


@pytest.mark.parametrize("host", HOSTS)
def test_a_config_file_linked_outside_is_refused(host: str, tmp_path: Path,
                                                 dos_cli: Callable[..., HookRun]) -> None:
    root, outside = _workspace(tmp_path)
    path = root / spec_for(host).path
    path.parent.mkdir()
    (outside / "settings").write_text("", encoding="utf-8")
    path.symlink_to(outside / "settings")
    done = dos_cli("init", str(root), "--hooks", host)
    assert done.code == 2
    assert f"{path} is a symlink to {outside / 'settings'}" in done.stderr
    assert (outside / "settings").read_text(encoding="utf-8") == ""
    assert path.is_symlink()
    assert not (root / ".dos").exists()


def test_a_dos_dir_linked_outside_is_refused(tmp_path: Path,
                                             dos_cli: Callable[..., HookRun]) -> None:
    root, outside = _workspace(tmp_path)
    (root / ".dos").symlink_to(outside, target_is_directory=True)
    done = dos_cli("init", str(root), "--hooks", "cursor")
    assert done.code == 2
    assert ".dos is a symlink" in done.stderr
    assert _snapshot(outside) == {}
    assert not (root / ".cursor").exists()


def test_links_inside_the_workspace_are_followed(tmp_path: Path,
                                                 dos_cli: Callable[..., HookRun]) -> None:
    root, _ = _workspace(tmp_path)
    (root / "config" / "claude").mkdir(parents=True)
    (root / "config" / "claude" / "settings.json").write_text('{"model": "opus"}\n',
                                                              encoding="utf-8")
    (root / ".claude").symlink_to(root / "config" / "claude", target_is_directory=True)
    assert dos_cli("init", str(root), "--hooks", "claude-code").code == 0
    assert (root / ".claude").is_symlink()
    data = json.loads((root / "config" / "claude" / "settings.json").read_text(encoding="utf-8"))
    assert data["model"] == "opus"
    assert "PreToolUse" in data["hooks"]
    assert wiring(root, "claude-code").status == "WIRED"
    assert dos_cli("init", str(root), "--hooks", "claude-code", "--uninstall").code == 0
    assert (root / "config" / "claude" / "settings.json").read_text(encoding="utf-8") == (
        '{"model": "opus"}\n')
    assert (root / ".claude").is_symlink()


def test_doctor_reports_wiring_outside_the_workspace(tmp_path: Path,
                                                     dos_cli: Callable[..., HookRun]) -> None:
    root, outside = _workspace(tmp_path)
    (root / ".gemini").symlink_to(outside, target_is_directory=True)
    report = dos_cli("--workspace", str(root), "doctor", "--wiring")
    assert report.code == 1
    assert "gemini       DRIFTED" in report.stdout
    assert "outside the workspace" in report.stdout
