"""A damaged store: admission answers STORE_UNREADABLE (exit 74), never "free", and
the file is left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.leases import Ran, Workspace

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scramble_schema(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:2000] = bytes(range(256)) * 7 + bytes(108)
    path.write_bytes(bytes(data))


def _zero(path: Path) -> None:
    path.write_bytes(b"")


@pytest.fixture
def damaged(workspace: Workspace, request: pytest.FixtureRequest) -> bytes:
    for lane, owner in (("docs", "A"), ("tests", "B")):
        assert lane_lease.acquire(workspace.config(), LeaseRequest(lane=lane), owner=owner)
    damage: Callable[[Path], None] = request.param
    damage(workspace.store)
    return workspace.store.read_bytes()


@pytest.mark.parametrize("damaged", [_truncate, _scramble_schema, _zero], indirect=True)
def test_admission_refuses_with_store_unreadable(
        workspace: Workspace, damaged: bytes, dos_run: Callable[..., Ran]) -> None:
    acquire = dos_run("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "C")
    assert acquire.code == 74
    verdict = acquire.json()
    assert verdict["outcome"] == "STORE_UNREADABLE"
    assert verdict["journaled"] is False
    assert "fix:" in acquire.err
    for args in (("lease-lane", "live"), ("lease-lane", "release", "--lane", "docs",
                                          "--owner", "A"),
                 ("journal", "verify"), ("journal", "tail"), ("arbitrate", "--lane", "src"),
                 ("id-alloc", "allocate", "s")):
        result = dos_run(*args)
        assert result.code == 74, (args, result)
    assert workspace.store.read_bytes() == damaged


@pytest.mark.parametrize("damaged", [_truncate], indirect=True)
def test_real_cli_exit_code_is_distinct_from_a_refusal(
        workspace: Workspace, damaged: bytes, dos_proc: Callable[..., Ran]) -> None:
    result = dos_proc("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "C")
    assert result.code == 74
    assert result.json()["outcome"] == "STORE_UNREADABLE"
    assert "Traceback" not in result.err
    assert workspace.store.read_bytes() == damaged
