"""dos reindex, dos projects --stale and dos learn over the registry: history is read
once and kept, prune removes only what is gone, categories are real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.record.projects.conftest import Dos, make_project

from dos.store.registry import ProjectRow, open_registry

_BLOCKED = '[{"phase": "AUTH3", "live": false, "drop_reason": "soft_claimed"}]'


def test_reindex_reads_what_registration_missed_and_never_drops_history(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "alpha", "")
    dos.refuse_and_decide(root)
    assert dos(root, "gate", "--picks-json", _BLOCKED).code == 5  # a no-pick answer, read only
    assert dos.json(root, "learn", "wedge-hotspots")["groups"] == []

    first = dos.json(root, "reindex")
    assert (first["active"], first["events"], first["verdict"]) == (1, 1, "REINDEXED")
    assert dos.json(root, "reindex")["events"] == 0  # nothing is read twice
    assert dos.json(root, "learn", "wedge-hotspots")["groups"] == [
        {"group": "alpha", "count": 1, "project_id": dos.listed(root, tmp_path)[0]["project_id"]}]

    shutil.rmtree(root)
    plain = dos.json(tmp_path, "reindex")
    assert (plain["active"], plain["stale"], plain["pruned"]) == (0, 1, 0)
    [row] = dos.listed(tmp_path, tmp_path)
    assert row["status"] == "stale"
    assert row["history"] == {"refusal": 1, "wedge": 1, "decision": 1}
    assert dos.json(tmp_path, "learn", "lane-refusals")["groups"] == [{"group": "src",
                                                                      "count": 1}]

    pruned = dos.json(tmp_path, "reindex", "--prune")
    assert (pruned["pruned"], pruned["stale"]) == (1, 0)
    assert dos.listed(tmp_path, tmp_path) == []
    assert dos.json(tmp_path, "learn", "lane-refusals")["groups"] == []


def test_prune_removes_only_this_owners_projects_whose_directory_is_gone(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    kept = make_project(tmp_path / "kept", "")
    gone = make_project(tmp_path / "gone", "")
    for root in (kept, gone):
        assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    other = ProjectRow("0" * 32, str(tmp_path / "never-here"), "theirs", 0, 0, 1, 1)
    with open_registry(str(home / "registry.db")).transaction(write=True,
                                                              owner="someone@else") as reg:
        assert reg is not None
        reg.insert_project(other)
    shutil.rmtree(gone)

    result = dos.json(kept, "reindex", "--prune")
    assert [(p["label"], p["status"]) for p in result["projects"]] == [
        ("gone", "pruned"), ("kept", "active")]
    with open_registry(str(home / "registry.db")).transaction(write=False,
                                                              owner="someone@else") as reg:
        assert reg is not None
        assert reg.projects() == [other]


def test_projects_stale_lists_gone_and_idle_projects(
        tmp_path: Path, home: Path, dos: Dos, monkeypatch: pytest.MonkeyPatch) -> None:
    day = 86_400_000
    idle, gone, busy = (make_project(tmp_path / name, "") for name in ("idle", "gone", "busy"))
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(1_800_000_000_000))
    for root in (idle, gone):
        assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    monkeypatch.setenv("DOS_TEST_CLOCK_MS", str(1_800_000_000_000 + 40 * day))
    assert dos(busy, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    shutil.rmtree(gone)

    everything = {row["label"]: row["status"] for row in dos.listed(busy, tmp_path)}
    assert everything == {"idle": "active", "gone": "stale", "busy": "active"}
    stale = dos.json(busy, "projects", "--stale", "--idle-days", "30")["projects"]
    assert {row["label"]: row["status"] for row in stale} == {"idle": "idle", "gone": "stale"}
    assert dos(busy, "projects", "--idle-days", "0").code == 2


def test_oracle_calibration_categorises_upheld_and_overruled(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "beta", "")
    dos.refuse_and_decide(root)  # approved: the referee upheld
    assert dos(root, "arbitrate", "--lane", "src", "--force").code == 0  # overruled
    groups = dos.json(root, "learn", "oracle-calibration")["groups"]
    assert groups == [{"group": "OPERATOR_GATE", "count": 2, "upheld": 1, "overruled": 1}]
    assert "(uncategorized)" not in dos(root, "learn", "oracle-calibration").out
    # a forced arbitration is an override, not a wedge
    assert dos.json(root, "learn", "wedge-hotspots")["groups"] == []
    text = dos(root, "learn", "oracle-calibration").out
    assert text.splitlines() == ["  oracle-calibration",
                                 "      2  OPERATOR_GATE  (upheld 1, overruled 1)"]


def test_read_verbs_create_no_registry(tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "quiet", "")
    shown = dos(root, "projects")
    assert shown.code == 0
    assert shown.out.startswith("no projects registered yet")
    assert dos(root, "projects", "--stale").out.startswith("no stale projects")
    assert dos(root, "learn", "lane-refusals").code == 0
    assert dos(root, "learn", "nonsense").code == 2
    assert not home.exists()
    assert not (root / ".dos").exists()


def test_throwaway_roots_register_only_with_a_named_home(
        tmp_path: Path, dos: Dos, monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    root = make_project(tmp_path / "scratch", "")
    assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    assert not Path(user_data_dir("dos")).exists()
    assert not (root / ".dos" / "project.json").exists()

    monkeypatch.setenv("DISPATCH_HOME", str(tmp_path / "ref-home"))
    assert dos(root, "lease-lane", "acquire", "--lane", "docs", "--owner", "a").code == 0
    assert (tmp_path / "ref-home" / "registry.db").is_file()
    assert [row["label"] for row in dos.listed(root, tmp_path)] == ["scratch"]


def test_a_broken_registry_never_fails_a_write_verb_but_fails_the_readers(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    home.mkdir()
    (home / "registry.db").write_bytes(b"this is not a database" * 100)
    root = make_project(tmp_path / "gamma", "")
    acquired = dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a")
    assert acquired.code == 0
    assert acquired.out.startswith("ACQUIRE")
    assert acquired.err.count("dos: warning: the project registry was not updated") == 1

    for args in (("projects",), ("learn", "lane-refusals"), ("reindex",)):
        failed = dos(root, *args)
        assert failed.code == 74, args
        assert failed.err.startswith("dos: error: the project registry")
        assert "fix:" in failed.err


def test_a_damaged_card_is_named_and_the_verb_answers(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "delta", "")
    (root / ".dos").mkdir()
    (root / ".dos" / "project.json").write_text('{"project_id": "../../etc"}')
    acquired = dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a")
    assert acquired.code == 0
    assert "project.json is not a dos project card" in acquired.err
    assert dos.listed(root, tmp_path) == []


def test_reindex_names_a_project_it_cannot_read_and_exits_1(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "eps", "")
    assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    (root / "dos.toml").write_text("[lanes\n")
    ran = dos(tmp_path, "reindex")
    assert ran.code == 1
    assert ran.out.splitlines()[0].endswith("1 unreadable  ·  0 new event(s)")
    assert f"unreadable  eps  {root}: " in ran.out
    result = dos(tmp_path, "reindex", "--json")
    assert result.code == 1
    assert '"verdict": "INCOMPLETE"' in result.out


def test_reindex_is_journaled_as_a_verdict(tmp_path: Path, home: Path, dos: Dos) -> None:
    root = make_project(tmp_path / "zeta", "")
    assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    assert dos(root, "reindex").code == 0
    shown = dos.json(root, "observe", "--syscall", "reindex")
    assert [(v["syscall"], v["verdict"]) for v in shown["events"]] == [("reindex", "REINDEXED")]


def test_a_locked_registry_costs_a_warning_never_an_unlocked_write(
        tmp_path: Path, home: Path, dos: Dos) -> None:
    import sqlite3

    root = make_project(tmp_path / "eta", "\n[store]\nbusy_timeout_ms = 100\n")
    assert dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "a").code == 0
    before = dos.listed(root, tmp_path)
    holder = sqlite3.connect(home / "registry.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        ran = dos(root, "lease-lane", "acquire", "--lane", "src", "--owner", "b")
        assert ran.code == 1  # the verb's own verdict: refused, the registry aside
        assert "project registry" in ran.err
        assert "stayed locked" in ran.err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dos.listed(root, tmp_path) == before  # nothing was written behind the lock
