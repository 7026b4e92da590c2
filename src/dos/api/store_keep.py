"""``dos store keep``: run the PostgreSQL session keeper of the workspace's store (see
:mod:`dos.store.pg_keeper`) until interrupted."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import StoreError, UsageError

__all__ = ["keep_store"]


def keep_store(config: SubstrateConfig, url: str | None = None, *, max_idle: int = 8,
               on_ready: Callable[[dict[str, Any]], None] | None = None,
               stop: threading.Event | None = None) -> dict[str, Any]:
    """Lend the sessions of the store at ``url`` (default: the active one) until
    ``stop`` is set or the process is interrupted; what was lent, when it ends."""
    from dos.store import store_url
    from dos.store.pg_keeper import AlreadyKeptError, Keeper, close_session
    from dos.store.pg_keeper_path import keeper_socket
    from dos.store.pgwire.errors import Error as WireError
    from dos.store.pgwire.errors import Unsupported
    from dos.store.pgwire.startup import open_session
    from dos.store.pgwire.target import target_of
    from dos.store.postgres_conn import connection_keywords
    from dos.store.urls import redact_url

    chosen = url or store_url(config)
    shown = redact_url(chosen)
    if not chosen.startswith(("postgresql://", "postgres://")):
        raise UsageError(f"the store {shown} is not PostgreSQL: only a server has sessions "
                         "to keep", hint="set [store] url to a postgresql:// URL, or pass --url")
    if max_idle < 1:
        raise UsageError(f"--max-idle {max_idle} keeps no session", hint="use 1 or more")
    busy = config.store.busy_timeout_ms
    try:
        target = target_of(chosen, connection_keywords(chosen, busy,
                                                       application_name="dos-keeper"),
                           os.environ)
        close_session(open_session(target, keeper=False))  # the server answers, as itself
    except Unsupported as exc:
        raise UsageError(f"the store {shown} needs psycopg to connect ({exc}); the keeper "
                         "speaks dos's own client", hint="connect without TLS on a trusted "
                         "network, or run without a keeper") from None
    except (OSError, WireError) as exc:
        raise StoreError(f"the PostgreSQL store {shown} cannot be reached: {exc}",
                         hint="start the server first; `dos store status` checks it") from None
    keeper = Keeper(target, keeper_socket(target), max_idle=max_idle)
    try:
        keeper.listen()
    except AlreadyKeptError:
        raise UsageError(f"a keeper already serves {shown} at {keeper.path}",
                         hint="one keeper per store is enough; stop that one first") from None
    except OSError as exc:
        raise UsageError(f"cannot listen at {keeper.path}: {exc.strerror or exc}",
                         hint="check $XDG_RUNTIME_DIR (or /tmp) is writable and private") \
            from None
    info: dict[str, Any] = {"store": shown, "socket": keeper.path, "max_idle": max_idle}
    try:
        if on_ready is not None:
            on_ready(info)
        keeper.serve(stop or threading.Event())
    finally:
        keeper.close()
    return {**info, "lent": keeper.lent, "opened": keeper.opened}
