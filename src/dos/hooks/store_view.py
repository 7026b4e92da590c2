"""What a pretool decision needs from the workspace's policy: where the store is, and
``[hooks] on_error``. Taken from the one config loader, and remembered beside the
store so that most hook calls never parse ``dos.toml``.

Parsing ``dos.toml`` (``tomllib`` pulls in ``typing``) and building the config
(``dataclasses``, ``inspect``) cost several times the hook's own work. The memo in
``.dos/hook-cache.json`` holds the loader's answer together with everything the
answer depends on — the exact bytes of ``dos.toml``, the root, the dos version and
the loader's own source files — and is used only while all of them are unchanged.
It is written (readable by its owner only) into an existing ``.dos/`` directory,
only for an SQLite store (a URL with no secret in it), and never when
``DOS_STORE_URL`` or a driver is in play.
"""

from __future__ import annotations

import os

from dos import _fastjson as jsonc

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from dos.config import SubstrateConfig
    from dos.store import Store

__all__ = ["CACHE_NAME", "StoreView", "cached_view", "remember", "toml_text", "view_of"]

CACHE_NAME = "hook-cache.json"
_FORMAT = 1
# The modules whose code turns dos.toml into a store location and an on_error policy
# (with every module of dos/settings/).
_LOADER_SOURCES = ("config.py", "workspace.py", "store/__init__.py")


class StoreView:
    """The workspace's root, its store and ``[hooks] on_error``, as the loader said."""

    __slots__ = ("busy_timeout_ms", "on_error", "root", "store_url", "workspace_id")

    def __init__(self, *, root: str, store_url: str, workspace_id: str, busy_timeout_ms: int,
                 on_error: str) -> None:
        self.root = root
        self.store_url = store_url
        self.workspace_id = workspace_id
        self.busy_timeout_ms = busy_timeout_ms
        self.on_error = on_error

    def __repr__(self) -> str:
        return (f"StoreView(root={self.root!r}, store_url={self.store_url!r}, "
                f"on_error={self.on_error!r})")

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def open_store(self) -> Store:
        """The store, opened exactly as :func:`dos.store.store_for` opens it."""
        from dos.store import open_store

        return open_store(self.store_url, root=self.root, busy_timeout_ms=self.busy_timeout_ms,
                          workspace_id=self.workspace_id)


def view_of(config: SubstrateConfig) -> StoreView:
    """The view of a loaded config."""
    from dos.store import store_url

    return StoreView(root=os.fspath(config.root), store_url=store_url(config),
                     workspace_id=config.store.workspace_id,
                     busy_timeout_ms=config.store.busy_timeout_ms, on_error=config.hooks.on_error)


def toml_text(root: str) -> str | None:
    """``dos.toml``'s exact bytes (as latin-1 text, which keeps every byte), or None."""
    try:
        with open(os.path.join(root, "dos.toml"), "rb") as handle:  # noqa: PTH118, PTH123
            return handle.read().decode("latin-1")
    except OSError:
        return None  # absent or not a file: the loader then uses its defaults too


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


def _key(root: str, toml: str | None) -> dict[str, object] | None:
    stamp = _loader_stamp()
    if stamp is None or os.environ.get("DOS_STORE_URL"):
        return None
    return {"format": _FORMAT, "loader": stamp, "root": root, "toml": toml}


def _cache_path(root: str) -> str:
    return os.path.join(root, ".dos", CACHE_NAME)  # noqa: PTH118


def cached_view(root: str) -> StoreView | None:
    """The remembered view for ``root``, when everything it was derived from is unchanged."""
    try:
        with open(_cache_path(root), "rb") as handle:  # noqa: PTH123
            memo = jsonc.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None  # no memo yet, or a damaged one: the loader answers
    key = _key(root, toml_text(root))
    if key is None or not isinstance(memo, dict) or memo.get("key") != key:
        return None
    fields = memo.get("view")
    if not isinstance(fields, dict) or set(fields) != set(StoreView.__slots__) or not (
            _well_typed(fields)):
        return None
    return StoreView(**fields)


def _well_typed(fields: dict[str, object]) -> bool:
    texts = ("root", "store_url", "workspace_id", "on_error")
    return (all(isinstance(fields[name], str) for name in texts)
            and type(fields["busy_timeout_ms"]) is int
            and fields["on_error"] in ("allow", "deny")
            and str(fields["store_url"]).startswith("sqlite:///"))


def remember(root: str, view: StoreView, toml: str | None) -> None:
    """Remember ``view`` for ``root``, loaded from ``toml`` (the text read before loading)."""
    key = _key(root, toml)
    if key is None or view.root != root or not view.store_url.startswith("sqlite:///"):
        return  # (a loader that chose another root is not second-guessed)
    directory = os.path.join(root, ".dos")  # noqa: PTH118
    if not os.path.isdir(directory) or toml_text(root) != toml:  # noqa: PTH112
        return  # no .dos/ to write into, or dos.toml changed while it was being loaded
    temp = os.path.join(directory, f".{CACHE_NAME}.{os.getpid()}.tmp")  # noqa: PTH118
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(jsonc.dumps({"key": key, "view": view.fields()}, sort_keys=True))
        os.replace(temp, _cache_path(root))  # noqa: PTH105
    except OSError:
        import contextlib

        # A read-only or full disk only costs the next hook call a full config load.
        with contextlib.suppress(OSError):
            os.unlink(temp)  # noqa: PTH108
