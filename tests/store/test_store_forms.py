"""`dos store` keeps the output contract: text for people, plain ASCII, one JSON line
tagged with the store schema, in every action."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.contract import ask_in_every_form, assert_output_contract

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.config import load_workspace_config
from dos.store.migrations import latest_version


def _workspace(tmp_path: Path) -> Path:
    root = tmp_path / "embedded"
    root.mkdir()
    (root / "dos.toml").write_text('[lanes]\nconcurrent = ["src"]\n[lanes.trees]\n'
                                   'src = ["src/**"]\n', encoding="utf-8")
    return root


def test_status_and_migrate_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _workspace(tmp_path)
    status = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(root), "store",
                                                     "status"])
    state = assert_output_contract(status, "store")
    assert (state["reachable"], state["active"]) == (True, True)
    assert status.plain.splitlines()[0] == f"store           sqlite {state['url']}"
    migrated = ask_in_every_form(capsys, monkeypatch, ["--workspace", str(root), "store",
                                                       "migrate"])
    assert assert_output_contract(migrated, "store")["schema_version"] == latest_version()
    assert migrated.plain.startswith(f"store schema at version {latest_version()}: ")


def test_an_unreachable_store_exits_74_in_every_form(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = _workspace(tmp_path)
    pytest.importorskip("psycopg")
    forms = ask_in_every_form(capsys, monkeypatch, [
        "--workspace", str(root), "store", "status", "--url",
        "postgresql://postgres@127.0.0.1:1/test"])  # port 1: nothing listens there
    state = assert_output_contract(forms, "store")
    assert (state["reachable"], forms.codes) == (False, (74, 74, 74))
    assert "reachable       NO: " in forms.plain


def test_copy_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = _workspace(tmp_path)
    lane_lease.acquire(load_workspace_config(root), LeaseRequest(lane="src"), owner="A")
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    forms = ask_in_every_form(capsys, monkeypatch, [
        "--workspace", str(root), "store", "copy", "--from",
        f"sqlite:///{root / '.dos' / 'dos.db'}", "--to", target, "--force"])
    report = assert_output_contract(forms, "store")
    assert (report["journal_records"], report["leases"], report["verified"]) == (1, 1, True)
    assert report["to"] == target
    assert forms.plain.splitlines()[0].startswith("copied sqlite:///")
    assert "chain verified" in forms.plain
