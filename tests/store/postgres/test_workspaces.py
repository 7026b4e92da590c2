"""Several workspaces in one database: isolated, with one fencing sequence; and the
store verbs and doctor say which store is active and whether it answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._support.postgres import LANES, PgWorkspace, write_workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest
from dos.store.urls import derive_workspace_id

pytestmark = pytest.mark.postgres


def test_workspaces_share_a_database_but_not_their_leases(tmp_path: Path, postgres_url: str,
                                                          workspace_id: str) -> None:
    first = write_workspace(tmp_path / "a", postgres_url, f"{workspace_id}-a").config()
    second = write_workspace(tmp_path / "b", postgres_url, f"{workspace_id}-b").config()
    one = lane_lease.acquire(first, LeaseRequest(lane="src"), owner="A")
    two = lane_lease.acquire(second, LeaseRequest(lane="src"), owner="B")  # no conflict
    assert one.lease is not None
    assert two.lease is not None
    assert two.lease.lease_id > one.lease.lease_id  # one sequence for the database
    assert [lease.holder for lease in lane_lease.live_leases(first)] == ["A"]
    assert [lease.holder for lease in lane_lease.live_leases(second)] == ["B"]
    assert one.seq == two.seq == 1  # each workspace has its own chain


def test_status_and_doctor_name_the_active_store(pg_workspace: PgWorkspace) -> None:
    ran = pg_workspace.run("store", "status", "--json")
    assert ran.code == 0
    state = ran.json()
    assert state["kind"] == "postgresql"
    assert (state["reachable"], state["exists"]) == (True, False)
    assert state["workspace_id"] == pg_workspace.workspace_id
    assert state["workspace_id_source"] == "config"
    assert pg_workspace.run("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    ran = pg_workspace.run("store", "status")
    assert ran.code == 0
    assert "reachable       yes" in ran.out
    assert "exists          yes" in ran.out
    doctor = pg_workspace.run("doctor", "--json").json()["store"]
    assert doctor["reachable"] is True
    assert doctor["url"] == pg_workspace.url


def test_the_environment_selects_the_store_and_the_id_is_derived(
        tmp_path: Path, postgres_url: str) -> None:
    root = tmp_path / "env-ws"
    root.mkdir()
    (root / "dos.toml").write_text(LANES, encoding="utf-8")
    workspace = PgWorkspace(root.resolve(), postgres_url, "")
    ran = workspace.run("store", "status", "--json", DOS_STORE_URL=postgres_url)
    assert ran.code == 0
    state = ran.json()
    assert state["kind"] == "postgresql"
    assert state["workspace_id"] == derive_workspace_id(root)
    assert state["workspace_id_source"] == "derived from the root"
    assert derive_workspace_id(root) == derive_workspace_id(root / "." / "")
    sqlite = workspace.run("store", "status", "--json").json()
    assert sqlite["kind"] == "sqlite"
    assert sqlite["reachable"] is True
