"""The one way every surface (CLI, hooks, MCP) loads a workspace: its dos.toml over a driver."""

from __future__ import annotations

from pathlib import Path

from dos import config as _config
from dos import structs
from dos.config import SubstrateConfig

__all__ = ["forget_loaded", "last_loaded", "load_config"]

# The config the last load_config call answered, and its arguments: the verdict journal of
# a CLI verb uses the config the verb loaded instead of building it a second time.
_LAST: list[tuple[tuple[str | Path | None, str | None], SubstrateConfig]] = []


def load_config(workspace: str | Path | None, driver: str | None) -> SubstrateConfig:
    """The workspace config with ``driver`` as its base, installed as the active one."""
    root = _config.resolve_workspace_root(workspace)
    base = None
    if driver:
        from dos.plugins import load_driver_config

        base = structs.replace(load_driver_config(driver, root), driver=driver)
    loaded = _config.load_workspace_config(root, base=base)
    _config.set_active(loaded)
    _LAST[:] = [((workspace, driver), loaded)]
    return loaded


def last_loaded(workspace: str | Path | None, driver: str | None) -> SubstrateConfig | None:
    """The config :func:`load_config` answered for these arguments, when they were those
    of its last call since :func:`forget_loaded`; else None."""
    if _LAST and _LAST[0][0] == (workspace, driver):
        return _LAST[0][1]
    return None


def forget_loaded() -> None:
    """Start afresh: :func:`last_loaded` answers only for loads made after this."""
    _LAST.clear()
