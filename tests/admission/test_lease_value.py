"""`Lease` is a plain slotted class (reading leases is on every hook call's path), yet
it behaves as the frozen value it replaced: equality, hashing, immutability, a
readable repr, copies with changes, pickling and the JSON round trip."""

from __future__ import annotations

import copy
import pickle

import pytest

from dos import structs
from dos.admission.lease import Lease, LeaseRequest

held = Lease(7, "api", ("src/api/**",), "session-A", mode="shared", pid=42,
                acquired_at_ms=1_000, renewed_at_ms=2_000, ttl_ms=60_000)


def test_equal_by_value_and_hashable() -> None:
    twin = Lease(lease_id=7, lane="api", tree=("src/api/**",), holder="session-A",
                 mode="shared", pid=42, acquired_at_ms=1_000, renewed_at_ms=2_000,
                 ttl_ms=60_000)
    assert twin == held
    assert hash(twin) == hash(held)
    assert len({twin, held}) == 1
    assert held != held.replace(holder="session-B")
    assert held != held.to_dict()


def test_immutable_and_slotted() -> None:
    with pytest.raises(AttributeError):
        held.holder = "session-B"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del held.lane  # type: ignore[misc]
    with pytest.raises(AttributeError):
        held.extra = 1  # type: ignore[attr-defined]
    assert not hasattr(held, "__dict__")


def test_replace_copies_with_changes_and_refuses_unknown_fields() -> None:
    ended = held.replace(released_at_ms=3_000, release_kind="reap")
    assert (ended.released_at_ms, ended.release_kind, ended.lease_id) == (3_000, "reap", 7)
    assert held.released_at_ms is None  # the original is untouched
    assert not ended.is_live(2_500)
    assert held.is_live(61_999)
    assert not held.is_live(62_000)
    with pytest.raises(TypeError, match="colour"):
        held.replace(colour="red")


def test_repr_names_every_field() -> None:
    text = repr(held)
    assert text.startswith("Lease(lease_id=7, lane='api', tree=('src/api/**',), ")
    assert text.endswith("released_at_ms=None, release_kind='', start_sha='')")


def test_copies_pickles_and_matches() -> None:
    assert copy.copy(held) == held
    assert copy.deepcopy(held) == held
    assert pickle.loads(pickle.dumps(held)) == held  # noqa: S301 - our own bytes
    match held:
        case Lease(lease_id, lane, _tree, holder):
            assert (lease_id, lane, holder) == (7, "api", "session-A")


def test_json_round_trip() -> None:
    assert Lease.from_dict(held.to_dict()).to_dict() == {
        **held.to_dict(), "released_at_ms": None, "release_kind": ""}
    with pytest.raises(ValueError, match="JSON object"):
        Lease.from_dict(["not", "an", "object"])  # type: ignore[arg-type]


def test_lease_request_is_still_a_frozen_dataclass_exported_by_dos_lease() -> None:
    request = LeaseRequest(lane="api")
    assert structs.replace(request, owner="me").owner == "me"
    assert LeaseRequest.__module__ == "dos.admission.lease"
    assert pickle.loads(pickle.dumps(request)) == request  # noqa: S301 - our own bytes
