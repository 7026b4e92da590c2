"""One loud loader for drivers: built-in ``dos.drivers.<name>`` or the
``dos.drivers`` entry-point group. A broken driver is an error, never silence."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import PluginError

__all__ = ["DRIVER_GROUP", "available_drivers", "load_driver_config", "load_driver_module"]

DRIVER_GROUP = "dos.drivers"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _entry_point(name: str) -> Any | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=DRIVER_GROUP):
        if entry.name == name:
            return entry
    return None


def load_driver_module(name: str) -> ModuleType:
    """Import the driver ``name``: an entry point first, else ``dos.drivers.<name>``."""
    if not _NAME.match(name):
        raise PluginError(
            f"driver name {name!r} is not a single identifier",
            hint="pass a module token such as --driver workshop (no '.', '/' or '-')",
        )
    entry = _entry_point(name)
    if entry is not None:
        dist = getattr(entry.dist, "name", "an unknown distribution")
        try:
            loaded = entry.load()
        except Exception as exc:
            raise PluginError(
                f"driver '{name}' from {dist} failed to import: {type(exc).__name__}: {exc}",
                hint=f"fix or uninstall {dist}",
            ) from exc
        if not isinstance(loaded, ModuleType):
            raise PluginError(
                f"entry point '{name}' of {dist} must name a module, got {type(loaded).__name__}",
                hint=f"point it at a module in {dist}",
            )
        return loaded
    try:
        return importlib.import_module(f"dos.drivers.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"dos.drivers.{name}":
            raise PluginError(f"driver '{name}' needs a module that is missing: {exc.name}",
                              hint="install the driver's dependencies") from exc
        known = ", ".join(available_drivers()) or "(none)"
        raise PluginError(
            f"unknown driver '{name}': no entry point in group '{DRIVER_GROUP}' and no module "
            f"dos.drivers.{name}",
            hint=f"known drivers: {known}; a third-party driver registers an entry point in "
            f"the '{DRIVER_GROUP}' group",
        ) from None


def load_driver_config(name: str, workspace: Path | str | None) -> SubstrateConfig:
    """Call the driver's ``<name>_config(workspace)`` and check what it returns."""
    module = load_driver_module(name)
    factory: Callable[[Any], Any] | None = getattr(module, f"{name}_config", None)
    if not callable(factory):
        raise PluginError(
            f"driver '{name}' ({module.__name__}) has no {name}_config(workspace) factory",
            hint=f"define def {name}_config(workspace) -> SubstrateConfig in {module.__name__}",
        )
    config = factory(workspace)
    if not isinstance(config, SubstrateConfig):
        raise PluginError(
            f"{module.__name__}.{name}_config returned {type(config).__name__}, "
            "not a SubstrateConfig", hint="return dos.config.SubstrateConfig(...)",
        )
    return config


BUILTIN_DRIVERS = ("workshop",)


def available_drivers() -> tuple[str, ...]:
    """Policy drivers: the built-in ones and every entry point in the group."""
    from importlib.metadata import entry_points

    names = {entry.name for entry in entry_points(group=DRIVER_GROUP)}
    return tuple(sorted(names | set(BUILTIN_DRIVERS)))
