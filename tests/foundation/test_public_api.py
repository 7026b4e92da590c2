"""The public surface: exported names exist, version comes from the package metadata."""

from __future__ import annotations

import importlib
from importlib.metadata import version

import pytest

import dos

PUBLIC = {
    "dos.config": ["LaneTaxonomy", "PathLayout", "SubstrateConfig", "WorkspaceFacts",
                   "gather_workspace_facts", "resolve_workspace_root", "active",
                   "default_config"],
    "dos.run_id": ["mint", "ts_ms_of", "is_run_id", "parse"],
    "dos.errors": ["DosError", "UsageError", "ConfigError", "GitError", "StoreError",
                   "PluginError"],
    "dos.oracle": ["verify", "verify_many", "ShipVerdict", "PhaseQuery", "GRADES"],
    "dos.arbiter": ["arbitrate", "Decision", "free_lanes"],
    "dos.lane_lease": ["acquire", "release", "heartbeat", "halt", "spawn", "reap",
                       "live_leases", "Lease", "LeaseRequest", "LeaseResult"],
    "dos.liveness": ["Liveness", "LivenessEvidence", "LivenessPolicy", "LivenessVerdict",
                     "classify"],
}
# What `import dos` offers: the version and the public modules, nothing else.
TOP_LEVEL = {"__version__", "arbiter", "config", "errors", "lane_lease", "liveness", "oracle",
             "run_id"}
PACKAGES = ["dos.truth", "dos.admission", "dos.temporal", "dos.record", "dos.settings",
            "dos.git", "dos.store", "dos.commands", "dos.hooks", "dos.drivers", "dos.tui"]


def test_version_matches_metadata() -> None:
    assert dos.__version__ == version("dispatch-os")


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_documented_names_are_exported(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = set(module.__all__)
    for name in PUBLIC[module_name]:
        assert name in exported, f"{module_name}.{name} missing from __all__"
        assert hasattr(module, name)
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"


def test_the_top_level_lists_exactly_the_public_api() -> None:
    assert set(dos.__all__) == TOP_LEVEL
    assert TOP_LEVEL - {"__version__"} == {name.removeprefix("dos.") for name in PUBLIC}
    for name in TOP_LEVEL - {"__version__"}:
        assert getattr(dos, name) is importlib.import_module(f"dos.{name}")


def test_public_facades_are_the_domain_objects() -> None:
    from dos.admission import arbiter, lane_lease
    from dos.temporal import liveness
    from dos.truth import oracle

    assert dos.oracle.verify is oracle.verify
    assert dos.arbiter.arbitrate is arbiter.arbitrate
    assert dos.lane_lease.acquire is lane_lease.acquire
    assert dos.liveness.classify is liveness.classify


def test_help_reads_as_a_table_of_contents() -> None:
    text = dos.__doc__ or ""
    for name in [*PUBLIC, *PACKAGES]:
        assert name in text, f"the package docstring does not mention {name}"
    for package in PACKAGES:
        module = importlib.import_module(package)
        assert len((module.__doc__ or "").split()) >= 8, package
