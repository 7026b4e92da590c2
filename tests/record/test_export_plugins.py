"""Exporters are plugins: a third-party one loads from the dos.exporters entry-point
group with the settings it names; built-ins cannot be shadowed; a crash is a failed
export (exit 1), a broken plugin is exit 2 naming its distribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.leases import Workspace
from tests._support.plugins import dos_with, install_plugin
from tests._support.verdicts import remembered, seed_many

from dos.record.export_drain import CURSOR_NAMESPACE

PLUGIN = '''
import json
from pathlib import Path

from dos.record.exporters import ExportResult


class Ledger:
    name = "ledger"

    def __init__(self, path=None, root=None):
        self.target = Path(root) / (path or "ledger.txt")

    def export(self, events):
        with self.target.open("a") as out:
            out.write(json.dumps([event.seq for event in events]) + "\\n")
        return ExportResult(len(events), "wrote the ledger", max(e.seq for e in events), True)


class Shadow:
    name = "file"

    def export(self, events):
        raise AssertionError("a plugin must not replace the built-in file exporter")


class Crashes:
    name = "crashes"

    def export(self, events):
        raise RuntimeError("the backend fell over")


class Liar:
    name = "liar"

    def export(self, events):
        return {"exported": len(events)}
'''


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    install_plugin(site, "dos_ledger", PLUGIN, "dos.exporters", {
        "ledger": "dos_ledger:Ledger", "file": "dos_ledger:Shadow",
        "crashes": "dos_ledger:Crashes", "liar": "dos_ledger:Liar",
        "broken": "dos_ledger_missing:Nothing"})
    return site


def test_a_third_party_exporter_ships_and_moves_the_cursor(site: Path,
                                                           workspace: Workspace) -> None:
    seed_many(workspace.config(), 3)
    ran = dos_with(site, workspace.path, "export", "--to", "ledger", "--path", "l.txt")
    assert ran.code == 0, ran.err
    assert "exported 3/3 via ledger: wrote the ledger" in ran.out
    assert json.loads((workspace.path / "l.txt").read_text()) == [1, 2, 3]
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "ledger") == 3


def test_unknown_names_list_built_ins_and_plugins(site: Path, workspace: Workspace) -> None:
    ran = dos_with(site, workspace.path, "export", "--to", "nope")
    assert ran.code == 2
    assert ("unknown exporter 'nope'; known: broken, crashes, file, ledger, liar, null, "
            "otlp, statsd") in ran.err


def test_a_plugin_cannot_shadow_a_built_in(site: Path, workspace: Workspace) -> None:
    seed_many(workspace.config(), 1)
    ran = dos_with(site, workspace.path, "export", "--to", "file", "--path", "f.jsonl")
    assert ran.code == 0, ran.err
    assert (workspace.path / "f.jsonl").read_text().count("\n") == 1


@pytest.mark.parametrize(("name", "detail"), [
    ("crashes", "error: RuntimeError: the backend fell over"),
    ("liar", "exporter returned a dict, not an ExportResult"),
])
def test_a_misbehaving_exporter_is_a_failed_export(site: Path, workspace: Workspace,
                                                   name: str, detail: str) -> None:
    seed_many(workspace.config(), 2)
    ran = dos_with(site, workspace.path, "--json", "export", "--to", name)
    assert ran.code == 1, ran.err
    assert json.loads(ran.out)["result"]["detail"] == detail
    assert remembered(workspace.config(), CURSOR_NAMESPACE, name) is None


def test_a_broken_plugin_names_its_distribution(site: Path, workspace: Workspace) -> None:
    ran = dos_with(site, workspace.path, "export", "--to", "broken")
    assert ran.code == 2
    assert "exporter 'broken' from dos-ledger failed to import" in ran.err
    assert "Traceback" not in ran.err
