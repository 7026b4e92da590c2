"""Notifiers are plugins: a third-party one loads from the dos.notifiers entry-point
group with the settings it names (a store-backed memory included); built-ins cannot be
shadowed; a crash is a failed delivery (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.leases import Workspace
from tests._support.plugins import dos_with, install_plugin
from tests._support.verdicts import arbiter_refusal, remembered, seed

PLUGIN = '''
from pathlib import Path

from dos.record.notifiers import NotifyResult


class Pager:
    name = "pager"

    def __init__(self, channel=None, memory=None, root=None):
        self.channel, self.memory, self.root = channel, memory, Path(root)

    def send(self, note):
        sent = (self.memory.get(note.key) or 0) + 1
        self.memory.put(note.key, sent)
        (self.root / "paged.txt").write_text(f"{self.channel}: {note.title} #{sent}")
        return NotifyResult(True, f"paged {self.channel}", ref=str(sent))


class Shadow:
    name = "webhook"

    def send(self, note):
        raise AssertionError("a plugin must not replace the built-in webhook notifier")


class Crashes:
    name = "crashes"

    def send(self, note):
        raise ConnectionError("pager service down")
'''


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    install_plugin(site, "dos_pager", PLUGIN, "dos.notifiers", {
        "pager": "dos_pager:Pager", "webhook": "dos_pager:Shadow",
        "crashes": "dos_pager:Crashes"})
    return site


def test_a_third_party_notifier_delivers_with_a_memory(site: Path,
                                                       workspace: Workspace) -> None:
    seed(workspace.config(), arbiter_refusal("global"))
    for expected in ("1", "2"):
        ran = dos_with(site, workspace.path, "--json", "notify", "decisions", "--notifier",
                       "pager", "--channel", "oncall")
        assert ran.code == 0, ran.err
        assert json.loads(ran.out)["result"] == {"delivered": True, "detail": "paged oncall",
                                                 "ref": expected}
    assert (workspace.path / "paged.txt").read_text() == "oncall: 1 decision needs you #2"
    assert remembered(workspace.config(), "notify-pager", "dos-decisions") == 2


def test_a_plugin_cannot_shadow_a_built_in(site: Path, workspace: Workspace) -> None:
    ran = dos_with(site, workspace.path, "notify", "top", "--notifier", "webhook")
    assert ran.code == 2  # the built-in webhook answered: it wants a URL
    assert "no webhook URL" in ran.err


def test_a_crashing_notifier_is_not_delivered(site: Path, workspace: Workspace) -> None:
    ran = dos_with(site, workspace.path, "notify", "top", "--notifier", "crashes")
    assert ran.code == 1
    assert "NOT sent via crashes: error: ConnectionError: pager service down" in ran.out
