"""What a pretool decision needs from the workspace's policy: the root, where the store
is, ``[hooks] on_error``, ``[hooks] allow_config_edits`` and the ``[precursor]`` grammar.
Taken from the one config loader, remembered beside the store
(:mod:`dos.hooks.hook_cache`), or — before any store exists — read off ``dos.toml``'s
text when it names none of them.

Parsing ``dos.toml`` (``tomllib`` pulls in ``typing``) and building the config
(``dataclasses``, ``inspect``) cost several times the hook's own work.
"""

from __future__ import annotations

import os

from dos.hooks.toml_peek import (
    assigned,
    flag_value,
    mentions,
    names_outside,
    names_table,
    on_error_value,
)

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from typing import Any

    from dos.config import SubstrateConfig
    from dos.store import Store

__all__ = ["CACHE_NAME", "SQLITE", "TOML_TABLES", "StoreView", "backed_by", "default_store_url",
           "plain_view", "sqlite_file", "view_of"]

SQLITE = "sqlite:///"
CACHE_NAME = "hook-cache.json"  # in .dos/: see dos.hooks.hook_cache
# Every top-level name the loader accepts (a test keeps it equal to dos.config's): any
# other is an error the loader reports, so the no-store shortcut must not answer.
TOML_TABLES = frozenset((
    "arg_provenance", "breaker", "ci", "completion", "concurrency_class", "cooldown",
    "data_class", "efficiency", "enumerate", "exec_capability", "hook_exit", "hooks",
    "improve", "intervention", "journal", "judges", "lanes", "lifecycle", "liveness", "marker",
    "noop_streak", "observe", "overlap", "paths", "pick_priority", "plan", "precursor",
    "productivity", "reasons", "resume", "retention", "rewind", "scope", "scout", "serve",
    "stamp", "store", "supervise", "tool_stream", "verify", "workspace"))


class StoreView:
    """The workspace's root, its store, ``[hooks]`` policy, ``[observe] enabled``
    (``journal``) and the canonical ``[precursor]`` grammar (None without the table), as
    the loader said. ``on_error`` "" means "not known here": ask
    :func:`dos.hooks.failure.peek_on_error`."""

    __slots__ = ("allow_config_edits", "busy_timeout_ms", "journal", "on_error", "precursor",
                 "root", "store_url", "workspace_id")

    def __init__(self, *, root: str, store_url: str, workspace_id: str, busy_timeout_ms: int,
                 on_error: str, allow_config_edits: bool, journal: bool = True,
                 precursor: dict[str, Any] | None = None) -> None:
        self.root = root
        self.store_url = store_url
        self.workspace_id = workspace_id
        self.busy_timeout_ms = busy_timeout_ms
        self.on_error = on_error
        self.allow_config_edits = allow_config_edits
        self.journal = journal
        self.precursor = precursor

    def __repr__(self) -> str:
        return (f"StoreView(root={self.root!r}, store_url={self.store_url!r}, "
                f"on_error={self.on_error!r}, allow_config_edits={self.allow_config_edits!r})")

    def fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    @property
    def store_file(self) -> str | None:
        """The SQLite store's file (absolute), or None for another backend."""
        return sqlite_file(self.store_url, self.root)

    def store_absent(self) -> bool:
        """Whether the SQLite store certainly does not exist yet (then it holds no
        leases, and nothing needs to load the SQLite module to say so)."""
        path = self.store_file
        try:
            os.stat(path) if path else None  # noqa: PTH116
        except (FileNotFoundError, NotADirectoryError):
            return True
        except (OSError, ValueError):
            return False  # the store itself reports what is wrong
        return False

    def open_store(self, *, busy_timeout_ms: int | None = None) -> Store:
        """The store, opened exactly as :func:`dos.store.store_for` opens it (waiting at
        most ``busy_timeout_ms`` for another writer, when given)."""
        from dos.store import open_store

        wait = self.busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        return open_store(self.store_url, root=self.root, busy_timeout_ms=wait,
                          workspace_id=self.workspace_id)


def sqlite_file(url: str, root: str) -> str | None:
    """The file an ``sqlite:///`` URL names (relative to ``root``), else None."""
    if not url.startswith(SQLITE) or len(url) == len(SQLITE):
        return None
    return os.path.normpath(os.path.join(root, url[len(SQLITE):]))  # noqa: PTH118


def default_store_url(root: str) -> str:
    """The embedded store a workspace has when nothing names another."""
    return f"{SQLITE}{root}/.dos/dos.db"


def view_of(config: SubstrateConfig) -> StoreView:
    """The view of a loaded config."""
    from dos.record.verdict_journal import enabled
    from dos.store import store_url

    return StoreView(root=os.fspath(config.root), store_url=store_url(config),
                     workspace_id=config.store.workspace_id,
                     busy_timeout_ms=config.store.busy_timeout_ms,
                     on_error=config.hooks.on_error,
                     allow_config_edits=config.hooks.allow_config_edits,
                     journal=enabled(config), precursor=_grammar(config))


def _grammar(config: SubstrateConfig) -> dict[str, Any] | None:
    """The ``[precursor]`` grammar, canonical (None when dos.toml has no such table)."""
    table = config.tables.get("precursor")
    if table is None:
        return None
    from dos.gates.precursor import policy_of

    return policy_of(table).to_dict()


def _store_backed(url: str, text: str, root: str) -> bool:
    """Whether ``dos.toml`` spells the store ``url`` out (default: it names no store)."""
    if "store" not in text:
        return url == default_store_url(root)
    path = sqlite_file(url, root)
    if url == default_store_url(root) or url in text:
        return True
    return path is not None and (path in text or os.path.relpath(path, root) in text)


def _workspace_backed(view: StoreView, text: str) -> bool:
    """A shared store's workspace id is the one ``dos.toml`` writes (or none written:
    the store derives it from the root); an embedded store has one workspace."""
    if view.store_url.startswith(SQLITE):
        return True
    if not view.workspace_id:
        return assigned(text, "workspace_id") == []
    return f'"{view.workspace_id}"' in text or f"'{view.workspace_id}'" in text


def backed_by(view: StoreView, text: str | None, root: str) -> bool:
    """Whether the view agrees with ``dos.toml``'s text on every setting that could
    switch enforcement off: the root, the store (and a shared store's workspace),
    ``on_error``, ``allow_config_edits``, a ``[precursor]`` table."""
    text = text or ""
    return (view.root == root and _store_backed(view.store_url, text, root)
            and _workspace_backed(view, text)
            and view.on_error == on_error_value(text)
            and view.allow_config_edits == flag_value(text, "allow_config_edits")
            and (view.precursor is not None or not names_table(text, "precursor")))


def plain_view(root: str, text: str | None) -> StoreView | None:
    """The view before any store exists, when ``dos.toml`` names no store and lets no
    agent edit it: no store means no leases, so nothing else the loader knows matters.
    None when those do not hold (the loader answers), and when the loader would reject
    the file for a table it does not know, or "deny" is written anywhere (perhaps under a
    misspelt ``on_error`` that the failing hook honours, see
    :func:`dos.hooks.failure.peek_on_error`), or a ``[precursor]`` table may be written
    (its grammar is the loader's to read). A misspelt key inside a known table is not
    noticed here: with ``on_error`` unset the answer to a write outside dos's own files
    is the same allow."""
    if os.environ.get("DOS_STORE_URL") or "store" in (text or ""):
        return None
    if assigned(text or "", "allow_config_edits") != [] or on_error_value(text) != "allow" \
            or mentions(text, "deny") or names_outside(text, TOML_TABLES) \
            or names_table(text, "precursor"):
        return None
    url = default_store_url(root)
    if os.path.lexists(sqlite_file(url, root) or ""):
        return None
    return StoreView(root=root, store_url=url, workspace_id="", busy_timeout_ms=5000,
                     on_error="", allow_config_edits=False)
