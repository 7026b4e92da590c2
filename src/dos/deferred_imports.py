"""Standard-library modules loaded when something uses them, not when ``pathlib`` is
imported.

``pathlib`` imports ``urllib.parse`` for one function (``Path.as_uri``'s quoting),
``ntpath`` for Windows paths and ``re`` (through ``fnmatch``) for ``Path.match`` — and
``urllib.parse`` builds a dozen named tuples and imports ``ipaddress`` (hundreds of network
constants) as it loads. Together they are a sixth of a short verb's instructions, and the
admission verbs and ``dos status`` use none of them. :func:`defer` puts a stand-in module
under each name; the first use of a stand-in — any attribute, or a call of the one
function ``pathlib`` takes from ``urllib.parse`` at import — loads the real module, puts
it back under its name (and on its package), copies its namespace into the stand-in (so
code that kept a reference to the stand-in reads the real names directly from then on),
and answers from it.

Only the ``dos`` command's own process defers (``dos.cli.main`` with no ``argv``), and
only modules nothing has imported yet; a program that imports dos as a library is never
touched. ``DOS_NO_DEFERRED_IMPORTS=1`` switches it off.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFERRED", "defer", "is_deferred"]

DEFERRED = ("urllib.parse", "ntpath", "re")


# Packages among them: their ``__path__`` is asked for by ``from re import x`` and by a
# submodule's import, both real uses. Any other dunder a stand-in lacks is a probe (the
# import system's ``hasattr(module, "__path__")`` before a from-import), not a use.
_PACKAGES = frozenset(("re",))
_USES = frozenset(("__all__", "__file__", "__cached__"))


class _StandIn(ModuleType):
    """Answers every attribute it does not hold from the real module, loaded on the
    first one asked."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__") and name not in _USES and not (
                name == "__path__" and self.__name__ in _PACKAGES):
            raise AttributeError(name)
        return getattr(_load(self.__name__), name)


def _load(name: str) -> ModuleType:
    """The real module ``name``: imported now (its stand-in steps aside first), once."""
    current = sys.modules.get(name)
    if current is not None and not isinstance(current, _StandIn):
        return current
    stand_in = sys.modules.pop(name, None)
    __import__(name)  # sets sys.modules[name], and the package's attribute, to the real one
    real = sys.modules[name]
    if isinstance(stand_in, _StandIn):
        held = {key: value for key, value in vars(stand_in).items() if key in _PRESET}
        vars(stand_in).update(vars(real))  # a kept reference now reads the real names
        vars(stand_in).update(held)  # (its own forwarders keep forwarding)
    return real


def _quote_from_bytes(bs: bytes, safe: str = "/") -> str:
    """``urllib.parse.quote_from_bytes``, which pathlib takes at import (loads the module)."""
    real: Any = _load("urllib.parse")
    return real.quote_from_bytes(bs, safe)  # type: ignore[no-any-return]


# What a stand-in must hold before any use: the names other modules take from it at import.
_PRESET: dict[str, Any] = {"quote_from_bytes": _quote_from_bytes}
_PRESETS = {"urllib.parse": ("quote_from_bytes",)}


def defer() -> tuple[str, ...]:
    """Put a stand-in under each name of :data:`DEFERRED` nothing has imported yet;
    the names deferred."""
    if os.environ.get("DOS_NO_DEFERRED_IMPORTS") or "pathlib" in sys.modules:
        return ()
    deferred = []
    for name in DEFERRED:
        if name in sys.modules:
            continue
        stand_in = _StandIn(name, f"{name}, loaded on first use (dos.deferred_imports)")
        for key in _PRESETS.get(name, ()):
            setattr(stand_in, key, _PRESET[key])
        package, _, leaf = name.rpartition(".")
        if package:
            __import__(package)  # (urllib itself is an empty package)
        sys.modules[name] = stand_in
        if package:
            setattr(sys.modules[package], leaf, stand_in)  # as the import system would
        deferred.append(name)
    return tuple(deferred)


def is_deferred(name: str) -> bool:
    """Whether ``name`` is still a stand-in nothing has used."""
    return isinstance(sys.modules.get(name), _StandIn)
