"""``dos serve``: the operator's views (top, decisions, plan, observe) in a browser.

An ASGI app on Starlette (the ``[web]`` extra), whose JSON API answers exactly what the
CLI's ``--json`` answers, through the same api functions; pages redraw themselves when
the store changes. Only this package imports Starlette or uvicorn, and only its app
modules do: :mod:`dos.web.options` works without the extra.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    if name == "create_app":  # Starlette is imported only when the app is wanted
        from dos.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
