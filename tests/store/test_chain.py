"""The hash chain alone: any change to any field of any record is found, at that seq."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dos import structs
from dos.store.journal import (
    GENESIS_HASH,
    OPS,
    JournalAnchor,
    JournalEntry,
    JournalRecord,
    check_chain,
    seal,
)

_TEXT = st.text(max_size=8)
_ENTRIES = st.builds(
    JournalEntry, op=st.sampled_from(sorted(OPS)), lane=_TEXT, holder=_TEXT, run_id=_TEXT,
    loop_ts=_TEXT, lease_id=st.none() | st.integers(0, 10**6),
    payload=st.dictionaries(_TEXT, st.none() | st.integers() | _TEXT, max_size=3))


def _chain(entries: list[JournalEntry]) -> list[JournalRecord]:
    records, prev = [], GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        record = seal(entry, seq=seq, ts_ms=seq * 10, prev_hash=prev)
        records.append(record)
        prev = record.hash
    return records


@given(st.lists(_ENTRIES, min_size=1, max_size=6))
def test_a_sealed_chain_verifies(entries: list[JournalEntry]) -> None:
    report = check_chain(_chain(entries))
    assert report.ok
    assert report.records == len(entries)


@given(st.lists(_ENTRIES, min_size=1, max_size=6), st.data())
def test_any_altered_field_is_found_at_its_seq(entries: list[JournalEntry],
                                               data: st.DataObject) -> None:
    records = _chain(entries)
    index = data.draw(st.integers(0, len(records) - 1))
    name = data.draw(st.sampled_from(["ts_ms", "op", "lane", "holder", "run_id", "loop_ts",
                                      "lease_id", "payload", "prev_hash"]))
    original = getattr(records[index], name)
    replacement = {"ts_ms": -1, "lease_id": -1, "payload": {"forged": True},
                   "prev_hash": "f" * 64}.get(name, "forged")
    if replacement == original:
        return
    records[index] = structs.replace(records[index], **{name: replacement})
    report = check_chain(records)
    assert not report.ok
    assert report.first_bad_seq == index + 1


def test_a_walk_resumes_from_an_anchor_and_across_batches() -> None:
    records = _chain([JournalEntry("SPAWN", lane=str(i)) for i in range(6)])
    anchor = JournalAnchor(records[2].seq, records[2].hash)
    report = check_chain(records[3:4], anchor=anchor)
    report = check_chain(records[4:], report=report)
    assert report.ok
    assert report.records == 3
    assert report.head_seq == 6
    assert not check_chain(records[4:], anchor=anchor).ok  # seq 4 is missing


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(_JSON)
def test_the_fast_canonical_spelling_is_the_json_packages(value: object) -> None:
    import json

    from dos.store import chain

    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    assert chain.canonical_json(value) == expected


def test_the_fast_canonical_spelling_refuses_what_the_package_refuses() -> None:
    import json

    import pytest

    from dos.store import chain

    for bad in ({"n": float("nan")}, [float("inf")], {"s": {1, 2}}):
        with pytest.raises((ValueError, TypeError)) as fast:
            chain.canonical_json(bad)
        with pytest.raises((ValueError, TypeError)) as slow:
            json.dumps(bad, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                       allow_nan=False)
        assert type(fast.value) is type(slow.value)
