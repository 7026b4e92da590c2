"""A moved repository keeps its id and its history; a copied one gets an id of its own.
Real git repositories, really moved (shutil.move) and copied (shutil.copytree), on
both registry backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.record.projects.conftest import Dos, make_project


def _card(root: Path) -> str:
    return str(json.loads((root / ".dos" / "project.json").read_text())["project_id"])


def test_a_moved_repository_is_one_project_with_its_history(
        tmp_path: Path, backend: str, dos: Dos) -> None:
    before = make_project(tmp_path / "before", backend)
    dos.refuse_and_decide(before)
    project_id = _card(before)
    [row] = dos.listed(before, tmp_path)
    assert row["history"] == {"refusal": 1, "wedge": 0, "decision": 1}

    after = tmp_path / "elsewhere" / "after"
    after.parent.mkdir()
    shutil.move(before, after)
    assert dos(after, "lease-lane", "release", "--lane", "src", "--owner", "a").code == 0

    [row] = dos.listed(after, tmp_path)
    assert row["project_id"] == project_id == _card(after)
    assert row["root"] == str(after)
    assert row["status"] == "active"
    assert [(m["from"], m["to"]) for m in row["moves"]] == [(str(before), str(after))]
    assert row["history"] == {"refusal": 1, "wedge": 0, "decision": 1}
    calibration = dos.json(after, "learn", "oracle-calibration")["groups"]
    assert {"group": "OPERATOR_GATE", "count": 1, "upheld": 1, "overruled": 0} in calibration


def test_a_copied_repository_is_a_second_project(
        tmp_path: Path, backend: str, dos: Dos) -> None:
    original = make_project(tmp_path / "original", backend)
    dos.refuse_and_decide(original)
    project_id = _card(original)

    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    assert _card(copy) == project_id  # the copy carried the card along
    assert dos(copy, "lease-lane", "release", "--lane", "src", "--owner", "a").code == 0

    rows = {row["root"]: row for row in dos.listed(original, tmp_path)}
    assert set(rows) == {str(original), str(copy)}
    assert rows[str(original)]["project_id"] == project_id == _card(original)
    assert rows[str(copy)]["project_id"] == _card(copy) != project_id
    assert rows[str(copy)]["copied_from"] == project_id
    assert rows[str(original)]["moves"] == rows[str(copy)]["moves"] == []
    # the history before the copy stays the original's; neither hides the other
    assert rows[str(original)]["history"]["refusal"] == 1
    assert rows[str(copy)]["history"] == {"refusal": 0, "wedge": 0, "decision": 0}
    assert {row["status"] for row in rows.values()} == {"active"}

    # the copy's own refusals are its own, not dropped as the original's duplicates
    assert dos(copy, "lease-lane", "acquire", "--lane", "docs", "--owner", "a").code == 0
    assert dos(copy, "lease-lane", "acquire", "--lane", "docs", "--owner", "b").code == 1
    rows = {row["root"]: row for row in dos.listed(original, tmp_path)}
    assert rows[str(copy)]["history"]["refusal"] == 1
    assert rows[str(original)]["history"]["refusal"] == 1


def test_a_copy_put_back_where_the_original_was_does_not_take_its_id(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    first = make_project(tmp_path / "first", "")
    assert dos(first, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    project_id = _card(first)
    moved = tmp_path / "moved"
    shutil.move(first, moved)  # a rename: the card file is the same file
    shutil.copytree(moved, first)  # and a copy of it put back at the old root

    assert dos(first, "lease-lane", "release", "--lane", "src", "--owner", "a").code == 0
    assert dos(moved, "lease-lane", "acquire", "--lane", "docs", "--owner", "a").code == 0
    assert dos(first, "lease-lane", "acquire", "--lane", "docs", "--owner", "z").code == 0

    rows = {row["root"]: row for row in dos.listed(moved, tmp_path)}
    assert rows[str(moved)]["project_id"] == project_id == _card(moved)
    assert [m["to"] for m in rows[str(moved)]["moves"]] == [str(moved)]
    assert rows[str(first)]["project_id"] == _card(first) != project_id
    assert rows[str(first)]["copied_from"] == project_id


def test_projects_in_a_subprocess_after_a_move(tmp_path: Path, home: Path, dos: Dos) -> None:
    import subprocess
    import sys

    before = make_project(tmp_path / "a", "")
    dos.refuse_and_decide(before)
    after = tmp_path / "b"
    shutil.move(before, after)
    argv = [sys.executable, "-m", "dos", "--workspace", str(after)]
    done = subprocess.run([*argv, "lease-lane", "release", "--lane", "src", "--owner", "a"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*argv, "projects"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2:] == [f"  {'b':<20}  active        1       0        1  {after}",
                     f"  {'':<20}  moved from {before}",
                     f"  registry: {home / 'registry.db'}"]
