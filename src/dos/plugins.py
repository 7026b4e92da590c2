"""One loud loader for plugins: drivers (``dos.drivers``) and the named seams
(exporters, notifiers, …), each with its entry-point group. Built-ins resolve first and
cannot be shadowed; a broken or unknown plugin is an error naming what is known."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import DosError, PluginError

__all__ = ["DRIVER_GROUP", "available_drivers", "build_plugin", "load_driver_config",
           "load_plugin", "plugin_names"]

DRIVER_GROUP = "dos.drivers"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _entry_point(name: str, group: str = DRIVER_GROUP) -> Any | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=group):
        if entry.name == name:
            return entry
    return None


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise PluginError(
            f"driver name {name!r} is not a single identifier",
            hint="pass a module token such as --driver workshop (no '.', '/' or '-')",
        )


def _load_entry(name: str, entry: Any, kind: str = "driver") -> Any:
    dist = getattr(entry.dist, "name", "an unknown distribution")
    try:
        return entry.load()
    except Exception as exc:
        raise PluginError(
            f"{kind} '{name}' from {dist} failed to import: {type(exc).__name__}: {exc}",
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


BUILTIN_DRIVERS = ("workshop", "job")


def available_drivers() -> tuple[str, ...]:
    """Policy drivers: the built-in ones and every entry point in the group."""
    from importlib.metadata import entry_points

    names = {entry.name for entry in entry_points(group=DRIVER_GROUP)}
    return tuple(sorted(names | set(BUILTIN_DRIVERS)))


def plugin_names(group: str, builtins: Mapping[str, str]) -> tuple[str, ...]:
    """The built-in names of a seam and every entry point in its group, sorted."""
    from importlib.metadata import entry_points

    return tuple(sorted({entry.name for entry in entry_points(group=group)} | set(builtins)))


def load_plugin(group: str, name: str, builtins: Mapping[str, str], *, kind: str) -> Any:
    """The object a seam's ``name`` points at: a built-in (``"module:attr"``) first, so no
    installed plugin can shadow it, else the ``group`` entry point."""
    target = builtins.get(name)
    if target is not None:
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)
    entry = _entry_point(name, group)
    if entry is None:
        known = ", ".join(plugin_names(group, builtins))
        raise PluginError(f"unknown {kind} '{name}'; known: {known}",
                          hint=f"pick a known {kind}, or install a plugin that registers "
                          f"'{name}' in the '{group}' entry-point group")
    return _load_entry(name, entry, kind)


def build_plugin(factory: Any, options: Mapping[str, Any], *, kind: str, name: str) -> Any:
    """Call ``factory`` with the ``options`` its signature names: every plugin of a seam
    gets the same superset of settings and takes the ones it knows."""
    import inspect

    if not callable(factory):
        raise PluginError(f"{kind} '{name}' is a {type(factory).__name__}, not a class or "
                          "factory", hint=f"point the entry point at a {kind} class")
    try:
        parameters = dict(inspect.signature(factory).parameters)
    except (TypeError, ValueError):
        parameters = {}  # a builtin without a signature takes no settings
    takes_all = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    chosen = {key: value for key, value in options.items() if takes_all or key in parameters}
    try:
        return factory(**chosen)
    except DosError:
        raise  # a plugin's own word on its settings (e.g. a missing URL) is the user's fix
    except Exception as exc:
        raise PluginError(f"{kind} '{name}' failed to start: {type(exc).__name__}: {exc}",
                          hint=f"check the settings the {kind} takes") from exc
