"""The workshop driver: two benches build concurrently, one release bench ships alone.

``frontend`` and ``backend`` own disjoint trees (including ``docs/UI-*`` against
``docs/SVC-*`` in one shared ``docs/``), so they run side by side; ``release`` and
``global`` are exclusive. It is also the template for writing a driver.
"""

from __future__ import annotations

from pathlib import Path

from dos.config import (
    LaneTaxonomy,
    PathLayout,
    SubstrateConfig,
    gather_workspace_facts,
    resolve_workspace_root,
)

__all__ = ["WORKSHOP_LANE_TAXONOMY", "workshop_config"]

WORKSHOP_LANE_TAXONOMY = LaneTaxonomy(
    concurrent=("frontend", "backend"),
    exclusive=("release", "global"),
    autopick=("frontend", "backend"),
    trees={
        "frontend": ("app/**/*", "web/**/*", "ui/**/*", "docs/UI-*"),
        "backend": ("service/**/*", "api/**/*", "worker/**/*", "docs/SVC-*"),
        "release": ("deploy/**/*", ".github/workflows/**/*", "docs/REL-*", "**/VERSION"),
        "global": ("**/*",),
    },
    aliases={
        "ui": "frontend", "web": "frontend", "frontend": "frontend",
        "svc": "backend", "api": "backend", "service": "backend", "backend": "backend",
        "ship": "release", "deploy": "release", "release": "release",
    },
)


def workshop_config(workspace: Path | str | None = None) -> SubstrateConfig:
    """The workshop policy bound to ``workspace``."""
    root = resolve_workspace_root(workspace)
    return SubstrateConfig(
        lanes=WORKSHOP_LANE_TAXONOMY,
        paths=PathLayout.for_root(root),
        workspace=gather_workspace_facts(root),
        driver="workshop",
    )
