"""The one way every surface (CLI, hooks, MCP) loads a workspace: its dos.toml over a driver."""

from __future__ import annotations

from pathlib import Path

from dos import config as _config
from dos import structs
from dos.config import SubstrateConfig

__all__ = ["load_config"]


def load_config(workspace: str | Path | None, driver: str | None) -> SubstrateConfig:
    """The workspace config with ``driver`` as its base, installed as the active one."""
    root = _config.resolve_workspace_root(workspace)
    base = None
    if driver:
        from dos.plugins import load_driver_config

        base = structs.replace(load_driver_config(driver, root), driver=driver)
    loaded = _config.load_workspace_config(root, base=base)
    _config.set_active(loaded)
    return loaded
