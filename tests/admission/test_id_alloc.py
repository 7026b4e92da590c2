"""id-alloc: ids increase per scope, across processes, and are never reused — a
damaged counter is an error, not a restart."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import id_alloc
from dos.errors import StoreError, UsageError

ID_SCHEMA = {"family": "id-alloc", "version": 1}


def test_allocate_and_peek(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    assert dos_run("id-alloc", "peek", "--json", "s").json() == {"id": None, "scope": "s",
                                                                 "schema": ID_SCHEMA}
    assert not workspace.store.exists()  # peek never creates the store
    ids = [dos_run("id-alloc", "allocate", "--json", "s").json()["id"] for _ in range(3)]
    assert ids == [1, 2, 3]
    assert dos_run("id-alloc", "allocate", "--json", "t", "--start", "100").json()["id"] == 100
    assert dos_run("id-alloc", "allocate", "--json", "t", "--start", "5").json()["id"] == 101
    assert dos_run("id-alloc", "peek", "--json", "s").json() == {"id": 3, "scope": "s",
                                                                 "schema": ID_SCHEMA}
    assert dos_run("id-alloc", "peek", "s").out == "3  the last id handed out in scope s\n"
    assert dos_run("id-alloc", "allocate", "s").out == "4  the next id of scope s\n"


@pytest.mark.parametrize("scope", ["", "   "])
def test_empty_scope_is_a_usage_error(workspace: Workspace, dos_run: Callable[..., Ran],
                                      scope: str) -> None:
    assert dos_run("id-alloc", "allocate", "--json", scope).code == 2
    with pytest.raises(UsageError):
        id_alloc.allocate(workspace.config(), scope)


@pytest.mark.parametrize("garbage", ["'garbage'", "''", "-5", "2.5", "X'00'"])
def test_damaged_counter_is_an_error_never_a_restart(
        workspace: Workspace, dos_run: Callable[..., Ran], garbage: str) -> None:
    for _ in range(7):
        id_alloc.allocate(workspace.config(), "s")
    raw = sqlite3.connect(workspace.store)
    with raw:
        raw.execute(f"UPDATE counters SET value = {garbage} WHERE scope = 's'")  # noqa: S608
    raw.close()
    result = dos_run("id-alloc", "allocate", "--json", "s")
    assert result.code == 74
    assert "corrupted" in result.err
    assert "never reused" in result.err
    with pytest.raises(StoreError):
        id_alloc.peek(workspace.config(), "s")
    assert id_alloc.allocate(workspace.config(), "other") == 1  # other scopes still work


def test_parallel_processes_get_distinct_ids(workspace: Workspace,
                                             dos_argv: Callable[..., list[str]],
                                             subprocess_env: Callable[..., dict[str, str]]
                                             ) -> None:
    workspace.set_toml("\n[store]\nbusy_timeout_ms = 60000\n")
    children = [subprocess.Popen(dos_argv("--json", "id-alloc", "allocate", "p"),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=subprocess_env(), text=True) for _ in range(12)]
    ids = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        ids.append(int(out.split('"id": ')[1].split(",")[0]))
    assert sorted(ids) == list(range(1, 13))
