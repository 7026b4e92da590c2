"""Which store is active and whether it answers: for ``dos doctor`` and ``dos store status``.

Never raises for an unreachable store: that is the answer, reported with its fix. An
existing store is opened exactly as the other verbs open it, so a damaged file is
"unreachable" here too, never "reachable" while every verb fails on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dos.errors import StoreError
from dos.store import open_store, store_url
from dos.store.urls import derive_workspace_id, is_postgres_url, redact_url

if TYPE_CHECKING:
    from dos.config import SubstrateConfig

__all__ = ["describe", "describe_active"]


def describe(url: str, *, root: Path | str | None = None, workspace_id: str = "",
             busy_timeout_ms: int = 5000) -> dict[str, Any]:
    """The store at ``url``: kind, redacted url, reachable, exists, schema version,
    and for PostgreSQL the workspace id and where it came from."""
    postgres = is_postgres_url(url)
    state: dict[str, Any] = {
        "url": redact_url(url), "kind": "postgresql" if postgres else "sqlite",
        "reachable": False, "exists": None, "schema_version": None, "error": None,
        "hint": None}
    if postgres:
        state["workspace_id"] = workspace_id or derive_workspace_id(root or ".")
        state["workspace_id_source"] = "config" if workspace_id else "derived from the root"
    try:
        store = open_store(url, root=root, busy_timeout_ms=busy_timeout_ms,
                           workspace_id=workspace_id)
        try:
            state["exists"] = store.exists()
            if state["exists"]:
                with store.transaction(write=False):
                    pass  # opened as every other verb opens it: a damaged file fails here
            version = getattr(store, "schema_version", None)
            if callable(version):
                state["schema_version"] = version()
            state["reachable"] = True
        finally:
            store.close()
    except StoreError as error:
        state["error"], state["hint"] = error.message, error.hint or None
    return state


def describe_active(config: SubstrateConfig) -> dict[str, Any]:
    """:func:`describe` for the store ``config`` selects (``[store] url``,
    ``DOS_STORE_URL`` or the embedded default)."""
    return describe(store_url(config), root=config.root,
                    workspace_id=config.store.workspace_id,
                    busy_timeout_ms=config.store.busy_timeout_ms)
