"""`dos store` on the embedded store: migrate creates it, status reports it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dos.cli import main
from dos.store.migrations import latest_version


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "embedded"
    root.mkdir()
    (root / "dos.toml").write_text('[lanes]\nconcurrent = ["src"]\n', encoding="utf-8")
    return root


def test_migrate_creates_the_embedded_store(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = _workspace(tmp_path)
    assert main(["--workspace", str(root), "store", "migrate"]) == 0
    assert f"version {latest_version()}" in capsys.readouterr().out
    assert (root / ".dos" / "dos.db").exists()


def test_status_reports_the_embedded_store(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = _workspace(tmp_path)
    assert main(["--workspace", str(root), "store", "status", "--json"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert (state["kind"], state["reachable"], state["exists"]) == ("sqlite", True, False)
    assert state["url"] == f"sqlite:///{root.resolve() / '.dos' / 'dos.db'}"
