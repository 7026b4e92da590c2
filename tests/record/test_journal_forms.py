"""dos journal keeps the output contract: columns for people, plain ASCII, one JSON line
tagged with the journal schema; export stays the reference's JSONL in every form."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.contract import ask_in_every_form, assert_output_contract
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest


def _history(workspace: Workspace) -> None:
    config = workspace.config()
    for owner, lane in (("A", "docs"), ("B", "src")):
        lane_lease.acquire(config, LeaseRequest(lane=lane), owner=owner, ttl_s=60)
    lane_lease.release(config, lane="docs", owner="A")


@pytest.mark.parametrize("action", [["tail"], ["tail", "0"], ["replay"], ["seq"], ["verify"],
                                    ["compact"]])
def test_every_journal_action_keeps_the_contract(
        action: list[str], workspace: Workspace, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _history(workspace)
    forms = ask_in_every_form(capsys, monkeypatch,
                              ["--workspace", str(workspace.path), "journal", *action])
    assert_output_contract(forms, "journal")
    assert forms.codes == (0, 0, 0)


def test_tail_text_is_aligned_columns(workspace: Workspace,
                                      dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    lines = dos_run("journal", "tail").out.splitlines()
    assert lines[0].split() == ["seq", "time", "op", "lane", "holder"]
    assert [line.split()[2] for line in lines[1:]] == ["ACQUIRE", "ACQUIRE", "RELEASE"]
    assert [line.split()[4] for line in lines[1:]] == ["A", "B", "A"]
    assert len({line.index(line.split()[2]) for line in lines}) == 1  # the op column aligns
    assert [line.split()[1] for line in lines[1:]] == [
        record["ts"] for record in dos_run("--json", "journal", "tail").json()]


def test_replay_text_names_each_held_lease(workspace: Workspace,
                                           dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    lines = dos_run("journal", "replay").out.splitlines()
    assert lines[0].split() == ["lease", "lane", "mode", "holder", "renewed", "tree"]
    assert lines[1].split()[1:4] == ["src", "exclusive", "B"]
    assert len(lines) == 2


def test_export_to_a_file_reports_in_the_chosen_form(workspace: Workspace, tmp_path: Path,
                                                     dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    target = tmp_path / "lane.jsonl"
    text = dos_run("journal", "export", "--to", str(target))
    assert text.out == f"exported 3 record(s) to {target}\n"
    assert [json.loads(line)["op"] for line in target.read_text().splitlines()] == [
        "ACQUIRE", "ACQUIRE", "RELEASE"]
    report = dos_run("--json", "journal", "export", "--to", str(target)).json()
    assert report == {"exported": 3, "to": str(target),
                      "schema": {"family": "journal", "version": 1}}


def test_export_to_stdout_is_the_reference_jsonl_in_every_form(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    streams = {form: dos_run("--output", form, "journal", "export").out
               for form in ("text", "plain", "json")}
    assert len(set(streams.values())) == 1
    assert all("schema" not in json.loads(line) for line in streams["json"].splitlines())


@pytest.mark.parametrize("flags", [["compact", "--keep-days", "nan"],
                                   ["compact", "--keep-days", "-1"],
                                   ["compact", "--keep-days", str(math.inf)],
                                   ["export", "--after-seq", "-3"]])
def test_bad_numbers_are_usage_errors(flags: list[str], workspace: Workspace,
                                      dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    ran = dos_run("journal", *flags)
    assert (ran.code, ran.out) == (2, "")
    assert "dos: error: --" in ran.err


def test_a_relative_export_target_stays_inside_the_workspace(
        workspace: Workspace, tmp_path: Path, dos_run: Callable[..., Ran]) -> None:
    """Found by the long fuzz profile: `--to ../x` wrote beside the workspace."""
    _history(workspace)
    root = Path(dos_run("--json", "doctor").json()["workspace"])
    before = {entry.name for entry in root.parent.iterdir()}
    refused = dos_run("journal", "export", "--to", "../escaped.jsonl")
    assert refused.code == 2
    assert "leaves the workspace" in refused.err
    assert {entry.name for entry in root.parent.iterdir()} == before
    kept = dos_run("journal", "export", "--to", "exports/../lane.jsonl")
    assert kept.code == 0, kept.err
    assert (root / "lane.jsonl").is_file()
