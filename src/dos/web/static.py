"""The package's own static files, read once: a request names one of them or gets 404,
so no part of a URL ever reaches the filesystem."""

from __future__ import annotations

from importlib import resources

__all__ = ["STATIC", "asset"]

_TYPES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


def _load() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("dos.web").joinpath("static")
    return {name: (folder.joinpath(name).read_bytes(), media)
            for name, media in _TYPES.items()}


STATIC = _load()


def asset(name: str) -> tuple[bytes, str] | None:
    """The file called ``name`` and its media type, or None."""
    return STATIC.get(name)
