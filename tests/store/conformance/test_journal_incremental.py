"""`dos journal verify` goes on from the last verified point; `--full` walks it all.

The default re-checks the record at the remembered point (so a rewrite of it is caught)
and every record after it; it does not see a record altered below that point, which
`--full` does. Both modes keep the exit codes: 0 intact, 1 broken.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests._support.postgres import PgWorkspace
from tests.store.conformance.conftest import Tamper

from dos.admission import lane_lease
from dos.admission.lease import LeaseRequest


def _take(workspace: PgWorkspace, owner: str, lane: str) -> None:
    assert lane_lease.acquire(workspace.config(), LeaseRequest(lane=lane),
                              owner=owner).acquired


def _verify(workspace: PgWorkspace, *flags: str) -> tuple[int, dict[str, Any]]:
    report = workspace.run("--json", "journal", "verify", *flags)
    return report.code, report.json()


def _verified_at_2_then_two_more(workspace: PgWorkspace) -> None:
    _take(workspace, "A", "docs")
    _take(workspace, "B", "src")
    code, first = _verify(workspace)
    assert (code, first["mode"], first["from_seq"], first["records"]) == (0, "full", 0, 2)
    _take(workspace, "C", "tests")
    assert lane_lease.release(workspace.config(), lane="docs", owner="A").released


def _holder_z(seq: int) -> tuple[str, str]:
    return (f"UPDATE journal SET holder = 'Z' WHERE seq = {seq};",  # noqa: S608 - a test's own
            f"UPDATE dos_journal SET holder = 'Z' WHERE workspace = %(ws)s AND seq = {seq}")  # noqa: S608


def test_the_next_verify_walks_only_the_new_records(dos_ws: PgWorkspace) -> None:
    _verified_at_2_then_two_more(dos_ws)
    code, report = _verify(dos_ws)
    assert (code, report["mode"], report["from_seq"]) == (0, "incremental", 2)
    assert (report["records"], report["head_seq"]) == (2, 4)
    code, again = _verify(dos_ws)  # the point moved on to seq 4
    assert (code, again["from_seq"], again["records"], again["head_seq"]) == (0, 4, 0, 4)
    code, full = _verify(dos_ws, "--full")
    assert (code, full["mode"], full["from_seq"], full["records"]) == (0, "full", 0, 4)
    assert full["head_hash"] == report["head_hash"]
    text = dos_ws.run("journal", "verify")
    assert (text.code, text.out.split(",")[0]) == (0, "journal intact: 0 record(s) checked "
                                                      "after the last verified seq 4 (--full: all)")


def test_a_record_altered_below_the_point_only_full_finds(dos_ws: PgWorkspace,
                                                          tamper: Tamper) -> None:
    _verified_at_2_then_two_more(dos_ws)
    tamper(*_holder_z(1))
    code, report = _verify(dos_ws)
    assert (code, report["mode"], report["from_seq"]) == (0, "incremental", 2)
    code, full = _verify(dos_ws, "--full")
    assert (code, full["first_bad_seq"]) == (1, 1)
    assert "seq 1 was altered" in full["problems"][0]


def test_a_rewrite_of_the_remembered_record_is_caught(dos_ws: PgWorkspace,
                                                      tamper: Tamper) -> None:
    _verified_at_2_then_two_more(dos_ws)
    tamper(*_holder_z(2))
    code, report = _verify(dos_ws)
    assert (code, report["mode"], report["first_bad_seq"]) == (1, "full", 2)
    assert any("record at seq 2, verified before, no longer matches" in problem
               for problem in report["problems"])
    code, full = _verify(dos_ws, "--full")
    assert (code, full["first_bad_seq"]) == (1, 2)


@pytest.mark.parametrize("seq", [3, 4])
def test_a_record_altered_above_the_point_is_caught(dos_ws: PgWorkspace, tamper: Tamper,
                                                    seq: int) -> None:
    _verified_at_2_then_two_more(dos_ws)
    tamper(*_holder_z(seq))
    code, report = _verify(dos_ws)
    assert (code, report["mode"], report["from_seq"], report["first_bad_seq"]) == (
        1, "incremental", 2, seq)
    assert _verify(dos_ws, "--full")[1]["first_bad_seq"] == seq


def test_an_unreadable_point_means_a_full_walk(dos_ws: PgWorkspace, tamper: Tamper) -> None:
    _verified_at_2_then_two_more(dos_ws)
    tamper("UPDATE memory SET value_json = '{\"seq\": \"x\"}' "
           "WHERE namespace = 'journal-verify';",
           "UPDATE dos_memory SET value_json = '{\"seq\": \"x\"}' "
           "WHERE workspace = %(ws)s AND namespace = 'journal-verify'")
    code, report = _verify(dos_ws)
    assert (code, report["mode"], report["records"]) == (0, "full", 4)
