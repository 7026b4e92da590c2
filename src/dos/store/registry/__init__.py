"""The cross-project registry's tables: one SQLite file under DOS_HOME, or a schema of
its own in the shared PostgreSQL store. The queries are written once
(:mod:`~dos.store.registry.tx`); each backend opens, migrates and runs them."""

from __future__ import annotations

from dos.store.registry.rows import Event, Group, Move, ProjectRow
from dos.store.registry.tx import RegistryTx

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.store.registry.postgres import PostgresRegistry
    from dos.store.registry.sqlite import SqliteRegistry

__all__ = ["Event", "Group", "Move", "ProjectRow", "RegistryTx", "open_registry"]


def open_registry(target: str, *, busy_timeout_ms: int = 5000
                  ) -> SqliteRegistry | PostgresRegistry:
    """The registry at ``target``: a ``postgresql://`` URL, else an SQLite file path.
    Nothing is opened or created until a transaction starts."""
    from dos.store.urls import is_postgres_url

    if is_postgres_url(target):
        from dos.store.registry.postgres import PostgresRegistry

        return PostgresRegistry(target, busy_timeout_ms=busy_timeout_ms)
    from dos.store.registry.sqlite import SqliteRegistry

    return SqliteRegistry(target, busy_timeout_ms=busy_timeout_ms)
