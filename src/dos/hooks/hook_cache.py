"""The remembered store view: ``.dos/hook-cache.json``, so most hook calls never parse
``dos.toml``.

The memo holds the loader's answer with everything it was derived from — the exact
bytes of ``dos.toml``, the root, the dos version, the loader's source files, the
identity (device, inode) of the ``.dos`` directory it lies in (a copy or a clone has
another) and of the SQLite store file it names — and is used only while all of
them are unchanged and the answer agrees with ``dos.toml``'s text on every setting
that could switch enforcement off (:func:`~dos.hooks.store_view.backed_by`). A memo
that is damaged, edited, copied from another workspace or describes another store is
ignored, and the next full load replaces it.

It is read and written through :mod:`dos.memo_file` (a real ``.dos`` directory and a
regular file of this user's, ``O_NOFOLLOW``, replaced atomically); for an SQLite or a
PostgreSQL store (whose URL ``dos.toml`` spells out), never when ``DOS_STORE_URL`` or a
driver is in play.
"""

from __future__ import annotations

import os

from dos import memo_file
from dos.hooks.store_view import CACHE_NAME, SQLITE, StoreView, backed_by

__all__ = ["CACHE_NAME", "cached_view", "remember"]

_FORMAT = 5
_SCHEMES = (SQLITE, "postgresql://", "postgres://")  # every store dos.store opens
# The modules whose code turns dos.toml into a store location and a hooks policy
# (with every module of dos/settings/).
_LOADER_SOURCES = ("config.py", "workspace.py", "store/__init__.py")


def _loader_stamp() -> list[object] | None:
    """The dos version and the loader's source files' sizes and times (None if unknown)."""
    from dos import __file__ as package_init
    from dos._version import __version__

    base = os.path.dirname(package_init)  # noqa: PTH120
    stamp: list[object] = [__version__]
    try:
        folder = os.path.join(base, "settings")  # noqa: PTH118
        settings = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".py"))
        for name in (*_LOADER_SOURCES, *(f"settings/{name}" for name in settings)):
            found = os.stat(os.path.join(base, name))  # noqa: PTH116, PTH118
            stamp += [name, found.st_size, found.st_mtime_ns]
    except OSError:
        return None
    return stamp


def _identity(path: str | None) -> list[int] | None:
    """The store file's device and inode; None when there is no such file."""
    try:
        found = os.stat(path) if path else None  # noqa: PTH116
    except OSError:
        return None
    return [found.st_dev, found.st_ino] if found else None


def _key(root: str, toml: str | None, store_file: str | None) -> dict[str, object] | None:
    stamp = _loader_stamp()
    if stamp is None or os.environ.get("DOS_STORE_URL") or not memo_file.SUPPORTED:
        return None
    dot_dos = memo_file.directory_identity(root)
    if dot_dos is None:
        return None
    return {"format": _FORMAT, "loader": stamp, "root": root, "toml": toml,
            "dos_dir": dot_dos, "store": _identity(store_file)}


def _well_typed(fields: object) -> bool:
    if not isinstance(fields, dict) or set(fields) != set(StoreView.__slots__):
        return False
    texts = ("root", "store_url", "workspace_id", "on_error")
    return (all(isinstance(fields[name], str) for name in texts)
            and type(fields["busy_timeout_ms"]) is int
            and type(fields["allow_config_edits"]) is bool
            and type(fields["journal"]) is bool
            and fields["on_error"] in ("allow", "deny")
            and str(fields["store_url"]).startswith(_SCHEMES)
            and (fields["precursor"] is None or _grammar_shaped(fields["precursor"])))


def _names(value: object) -> bool:
    """A table of name → list of names, as the loader's canonical grammar writes it."""
    return isinstance(value, dict) and all(
        isinstance(values, list) and all(isinstance(name, str) for name in values)
        for values in value.values())


def _grammar_shaped(grammar: object) -> bool:
    return (isinstance(grammar, dict) and set(grammar) == {"requires", "aliases",
                                                            "case_sensitive"}
            and _names(grammar["requires"]) and _names(grammar["aliases"])
            and type(grammar["case_sensitive"]) is bool)


def cached_view(root: str, toml: str | None) -> StoreView | None:
    """The remembered view for ``root`` (whose ``dos.toml`` text is ``toml``), when
    everything it was derived from is unchanged; else None (the loader answers)."""
    try:
        memo = memo_file.read(root, CACHE_NAME)
    except (OSError, ValueError):
        return None  # unreadable, not UTF-8 or not JSON: ignored, and replaced later
    if not isinstance(memo, dict) or not _well_typed(memo.get("view")):
        return None
    view = StoreView(**memo["view"])
    if memo.get("key") != _key(root, toml, view.store_file) or not backed_by(view, toml, root):
        return None
    return view


def remember(root: str, view: StoreView, toml: str | None, toml_after: str | None) -> None:
    """Remember ``view`` for ``root``, loaded from ``toml`` (the text read before loading;
    ``toml_after`` is the text read again once it was loaded)."""
    key = _key(root, toml, view.store_file)
    if key is None or view.root != root or not view.store_url.startswith(_SCHEMES):
        return  # (a loader that chose another root is not second-guessed)
    if toml_after != toml or not backed_by(view, toml, root):
        return  # dos.toml changed while it was being loaded, or it cannot vouch for the view
    # (no .dos/ to write into: a read creates nothing)
    memo_file.write(root, CACHE_NAME, {"key": key, "view": view.fields()})
