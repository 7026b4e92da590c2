"""The export cursor and a notifier's memory live in the shared store: on PostgreSQL, a
second machine resumes where the first one's delivery ended."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._support.postgres import write_workspace
from tests._support.verdicts import remembered, seed_many
from tests.store.conftest import _session_database, postgres_url, workspace_id

from dos.record.export_drain import CURSOR_NAMESPACE

__all__ = ["_session_database", "postgres_url", "workspace_id"]  # fixtures used here

pytestmark = pytest.mark.postgres


def test_two_machines_share_one_cursor(tmp_path: Path, postgres_url: str,
                                       workspace_id: str) -> None:
    first = write_workspace(tmp_path / "host-a", postgres_url, workspace_id)
    second = write_workspace(tmp_path / "host-b", postgres_url, workspace_id)
    seed_many(first.config(), 3)
    ran = first.run("export", "--to", "file", "--path", "a.jsonl")
    assert ran.code == 0, ran.err
    assert remembered(second.config(), CURSOR_NAMESPACE, "file") == 3

    seed_many(first.config(), 2)
    other = second.run("--json", "export", "--to", "file", "--path", "b.jsonl")
    assert other.code == 0, other.err
    assert json.loads(other.out)["pending"] == 2
    lines = (second.path / "b.jsonl").read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [4, 5]
