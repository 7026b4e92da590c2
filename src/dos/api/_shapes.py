"""The ``--json`` shapes (TypedDicts) re-exported lazily by the api modules: they are
``typing`` constructs, built only when someone asks for one at run time; the verbs that
answer with them never do."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["shapes_from"]


def shapes_from(module: str, source: str) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``module`` that answers the names ``source`` exports."""
    def __getattr__(name: str) -> object:  # noqa: N807 - the module hook's own name
        if not name.startswith("__"):  # a dunder probe never costs the import
            from importlib import import_module  # (importlib itself costs start-up time)

            shapes = import_module(source)
            if name in shapes.__all__:
                return getattr(shapes, name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return __getattr__
