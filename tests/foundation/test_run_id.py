"""Run ids: format, ordering, decoding and lineage."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dos import run_id
from dos.cli import main


def test_format_and_decode() -> None:
    minted = run_id.mint("worker", clock_ms=1_795_893_367_655)
    assert minted.run_id.startswith("RID-")
    assert len(minted.run_id) == 19
    assert run_id.ts_ms_of(minted.run_id) == 1_795_893_367_655
    assert minted.root_id == minted.run_id
    assert minted.parent_id is None
    assert minted.process_id == "PROC-worker"


@given(st.integers(min_value=0, max_value=32**9 - 1))
def test_timestamp_round_trips(ms: int) -> None:
    assert run_id.ts_ms_of(run_id.mint("p", clock_ms=ms).run_id) == ms


def test_ids_minted_in_one_millisecond_sort_in_mint_order() -> None:
    ids = [run_id.mint("p", clock_ms=1_000).run_id for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_string_parent_gives_parents_root() -> None:
    parent = run_id.mint("parent")
    child = run_id.mint("child", parent.run_id)
    grandchild = run_id.mint("grandchild", child)
    assert child.parent_id == parent.run_id
    assert child.root_id == parent.run_id
    assert grandchild.root_id == parent.run_id


@pytest.mark.parametrize("bad", ["", "  "])
def test_empty_process_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        run_id.mint(bad)


def test_out_of_range_clock_is_rejected() -> None:
    with pytest.raises(ValueError, match="outside"):
        run_id.mint("p", clock_ms=32**9)


def test_lower_case_is_accepted() -> None:
    token = run_id.mint("p").run_id
    assert run_id.is_run_id(token.lower())
    assert run_id.ts_ms_of(token.lower()) == run_id.ts_ms_of(token)


def test_cli_parent_must_be_a_run_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run-id", "mint", "child", "--parent", "not-a-run"]) == 2
    assert "not a run id" in capsys.readouterr().err


def test_cli_mint_and_parse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "run-id", "mint", "w"]) == 0
    minted = json.loads(capsys.readouterr().out)
    assert main(["run-id", "parse", minted["run_id"], "--json"]) == 0
    parsed = json.loads(capsys.readouterr().out)
    assert parsed["ts_ms"] == minted["ts_ms"]
    assert parsed["minted_at"].endswith("Z")


def test_cli_mint_inherits_lineage_from_env(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    parent = run_id.mint("p")
    monkeypatch.setenv("CID_RUN_ID", parent.run_id)
    assert main(["--json", "run-id", "mint", "c"]) == 0
    assert json.loads(capsys.readouterr().out)["parent_id"] == parent.run_id
