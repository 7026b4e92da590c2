"""The arbiter's decision table: one golden case file per row (tests/cases/arbiter/*.toml).

Each case gives a taxonomy (or the default docs/src/tests + exclusive global), the
live leases, a request and the expected decision. A case with ``expect.error``
expects arbitrate to raise UsageError with that fragment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dos.admission.arbiter import arbitrate
from dos.admission.lease import Lease, LeaseRequest
from dos.admission.reasons import BASE_REASONS
from dos.config import (
    LaneTaxonomy,
    OverlapSettings,
    PathLayout,
    SubstrateConfig,
    WorkspaceFacts,
)
from dos.errors import UsageError

CASES = sorted((Path(__file__).resolve().parents[1] / "cases" / "arbiter").glob("*.toml"))
ROOT = Path("/work/space")

DEFAULT_TAXONOMY: dict[str, Any] = {
    "concurrent": ["docs", "src", "tests"], "exclusive": ["global"],
    "autopick": ["docs", "src", "tests"],
    "trees": {"docs": ["docs/**"], "src": ["src/**"], "tests": ["tests/**"]},
    "aliases": {"code": "src"},
}


def config_for(case: dict[str, Any]) -> SubstrateConfig:
    taxonomy = LaneTaxonomy(**case.get("taxonomy", DEFAULT_TAXONOMY))
    overlap = OverlapSettings(**case.get("overlap", {}))
    facts = WorkspaceFacts(root=ROOT, kernel_runtime_files=tuple(case.get("kernel_files", ())))
    classes = tuple((name, cap) for name, cap in case.get("concurrency_classes", {}).items())
    return SubstrateConfig(lanes=taxonomy, paths=PathLayout.for_dos_dir(ROOT), workspace=facts,
                           overlap=overlap, concurrency_classes=classes)


def lease_of(raw: dict[str, Any]) -> Lease:
    return Lease(lease_id=raw["lease_id"], lane=raw.get("lane", ""),
                 tree=tuple(raw.get("tree", ())), holder=raw.get("holder", "agent"),
                 exclusive_lane=raw.get("exclusive_lane", False),
                 mode=raw.get("mode", "exclusive"))


def request_of(raw: dict[str, Any]) -> LeaseRequest:
    return LeaseRequest(lane=raw.get("lane", ""), tree=tuple(raw.get("tree", ())),
                        mode=raw.get("mode", "exclusive"), force=raw.get("force", False))


def test_there_are_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_arbiter_case(path: Path) -> None:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    expect = case["expect"]
    config = config_for(case)
    live = [lease_of(raw) for raw in case.get("live", [])]
    request = request_of(case.get("request", {}))
    budgets = case.get("class_budgets")
    if "error" in expect:
        with pytest.raises(UsageError, match=expect["error"]):
            arbitrate(request, live, config, class_budgets=budgets)
        return
    decision = arbitrate(request, live, config, class_budgets=budgets)
    data = decision.to_dict()
    assert data["outcome"] == expect["action"], decision.reason
    for key in ("lane", "reason_class", "auto_picked", "blockers", "tree", "exclusive", "mode"):
        if key in expect:
            assert data[key] == expect[key], f"{key}: {decision.reason}"
    if "free_lanes" in expect:
        assert list(decision.free_lanes) == expect["free_lanes"]
    for fragment in expect.get("reason_contains", []):
        assert fragment in decision.reason
    for fragment in expect.get("reason_excludes", []):
        assert fragment not in decision.reason
    _check_invariants(decision.to_dict(), request, live)


def _check_invariants(data: dict[str, Any], request: LeaseRequest, live: list[Lease]) -> None:
    """What holds for every decision, whatever the case."""
    known = {spec.token for spec in BASE_REASONS}
    if data["outcome"] == "refuse":
        assert data["reason_class"] in known, "every refusal names its reason class"
    else:
        assert data["reason_class"] == ""
        assert data["tree"], "nothing is ever granted with an unknown blast radius"
        assert data["lane"]
    if data["auto_picked"]:
        assert not request.lane, "a named lane is never swapped for another"
    for key in ("outcome", "lane", "lane_kind", "tree", "auto_picked", "reason",
                "free_clusters", "pick_count", "reason_class", "exclusive", "mode", "blockers"):
        assert key in data
    assert set(data["blockers"]) <= {lease.lease_id for lease in live}
