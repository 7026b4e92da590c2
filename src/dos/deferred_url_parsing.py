"""``urllib.parse`` loaded when something uses it, not when ``pathlib`` is imported.

``pathlib`` imports ``urllib.parse`` for one function, ``Path.as_uri``'s quoting, and
``urllib.parse`` builds a dozen named tuples and imports ``ipaddress`` (hundreds of
network constants) as it loads: a tenth of a short verb's instructions, for a function
no short verb calls. :func:`defer` puts a stand-in module under that name; its first
use — any attribute, or a call of its ``quote_from_bytes`` — loads the real module, puts
it back under its name and on the ``urllib`` package, and answers from it. Code that
kept a reference to the stand-in keeps working: every attribute it is asked for comes
from the real module.

Only the ``dos`` command's own process defers (``dos.cli.main`` with no ``argv``), and
only when nothing has imported ``urllib.parse`` or ``pathlib`` yet; a program that
imports dos as a library is never touched.
"""

from __future__ import annotations

import sys
from types import ModuleType

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["defer", "is_deferred"]

_NAME = "urllib.parse"


class _StandIn(ModuleType):
    """Answers every attribute from the real module, loaded on the first one asked."""

    def __getattr__(self, name: str) -> Any:  # only names the stand-in does not hold
        if name.startswith("__") and name.endswith("__") and name not in ("__all__",
                                                                           "__file__"):
            raise AttributeError(name)  # a probe (copy, pickle, reprs) loads nothing
        return getattr(_load(), name)


def _load() -> ModuleType:
    """The real module: imported now (the stand-in steps aside first), once."""
    current = sys.modules.get(_NAME)
    if current is not None and not isinstance(current, _StandIn):
        return current
    sys.modules.pop(_NAME, None)
    __import__(_NAME)  # sets sys.modules[_NAME] and urllib.parse to the real module
    return sys.modules[_NAME]


def _quote_from_bytes(bs: bytes, safe: str = "/") -> str:
    """``urllib.parse.quote_from_bytes``, for ``Path.as_uri`` (loads the real module)."""
    real: Any = _load()
    return real.quote_from_bytes(bs, safe)  # type: ignore[no-any-return]


def defer() -> bool:
    """Put the stand-in in place, unless ``urllib.parse`` or ``pathlib`` is already
    imported; whether it was put in place."""
    if _NAME in sys.modules or "pathlib" in sys.modules:
        return False
    import urllib  # the package itself is empty

    stand_in = _StandIn(_NAME, "urllib.parse, loaded on first use (dos.deferred_url_parsing)")
    stand_in.quote_from_bytes = _quote_from_bytes  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
    urllib.parse = stand_in  # type: ignore[attr-defined]  # as the import system would
    return True


def is_deferred() -> bool:
    """Whether ``urllib.parse`` is still the stand-in."""
    return isinstance(sys.modules.get(_NAME), _StandIn)
