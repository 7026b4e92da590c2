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
}


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
