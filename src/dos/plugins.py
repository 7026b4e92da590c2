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

__all__ = ["DRIVER_GROUP", "available_drivers", "load_driver_config"]

DRIVER_GROUP = "dos.drivers"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _entry_point(name: str) -> Any | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=DRIVER_GROUP):
        if entry.name == name:
            return entry
    return None


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise PluginError(
            f"driver name {name!r} is not a single identifier",
            hint="pass a module token such as --driver workshop (no '.', '/' or '-')",
        )


def _load_entry(name: str, entry: Any) -> Any:
    dist = getattr(entry.dist, "name", "an unknown distribution")
    try:
        return entry.load()
    except Exception as exc:
        raise PluginError(
            f"driver '{name}' from {dist} failed to import: {type(exc).__name__}: {exc}",
            hint=f"fix or uninstall {dist}",
        ) from exc


def _load_driver(name: str) -> ModuleType | Callable[..., Any]:
    """A built-in driver module (never shadowed), else what the entry point names: a
    module holding ``<name>_config``, or the factory itself (``pkg.mod:factory``)."""
    _check_name(name)
    if name in BUILTIN_DRIVERS:
        return importlib.import_module(f"dos.drivers.{name}")
    entry = _entry_point(name)
    if entry is None:
        known = ", ".join(available_drivers()) or "(none)"
        raise PluginError(
            f"unknown driver '{name}': no entry point in group '{DRIVER_GROUP}'",
            hint=f"known drivers: {known}; a third-party driver registers an entry point in "
            f"the '{DRIVER_GROUP}' group naming a module or a factory (pkg.mod:make_config)",
        )
    loaded: object = _load_entry(name, entry)
    if isinstance(loaded, ModuleType) or callable(loaded):
        return loaded
    dist = getattr(entry.dist, "name", "an unknown distribution")
    raise PluginError(
        f"entry point '{name}' of {dist} names a {type(loaded).__name__}, "
        "not a module or a factory",
        hint=f"point it at a module or at a function (workspace) -> SubstrateConfig in {dist}",
    )


def load_driver_config(name: str, workspace: Path | str | None) -> SubstrateConfig:
    """Call the driver's factory — ``<name>_config(workspace)`` in its module, or the
    function its entry point names — and check what it returns."""
    loaded = _load_driver(name)
    if isinstance(loaded, ModuleType):
        factory: Callable[[Any], Any] | None = getattr(loaded, f"{name}_config", None)
        where = f"{loaded.__name__}.{name}_config"
        if not callable(factory):
            raise PluginError(
                f"driver '{name}' ({loaded.__name__}) has no {name}_config(workspace) factory",
                hint=f"define def {name}_config(workspace) -> SubstrateConfig in "
                     f"{loaded.__name__}, or point the entry point at a factory",
            )
    else:
        factory = loaded
        where = f"{getattr(loaded, '__module__', '?')}.{getattr(loaded, '__qualname__', name)}"
    config = factory(workspace)
    if not isinstance(config, SubstrateConfig):
        raise PluginError(
            f"{where} returned {type(config).__name__}, not a SubstrateConfig",
            hint="return dos.config.SubstrateConfig(...)",
        )
    return config


BUILTIN_DRIVERS = ("workshop",)


def available_drivers() -> tuple[str, ...]:
    """Policy drivers: the built-in ones and every entry point in the group."""
    from importlib.metadata import entry_points

    names = {entry.name for entry in entry_points(group=DRIVER_GROUP)}
    return tuple(sorted(names | set(BUILTIN_DRIVERS)))
