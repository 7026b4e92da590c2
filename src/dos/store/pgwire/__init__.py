"""A small PostgreSQL client (protocol 3) for the store's plain common case.

``import psycopg`` alone costs several interpreter start-ups; a short verb pays it on
every call. This client speaks just what the store uses — a TCP or Unix socket, no
TLS, trust / password / md5 / SCRAM-SHA-256 authentication, ``%s`` parameters, the
types the schema holds — and says :class:`~dos.store.pgwire.errors.Unsupported` for
anything else, so psycopg takes over (:mod:`dos.store.postgres_driver` decides).

Modules: ``conninfo`` (URLs as libpq reads them), ``target`` (URL + environment),
``startup`` / ``handshake`` / ``auth`` (opening a session), ``frames`` (messages),
``params`` / ``decode`` (values out and in), ``result`` and ``connection``.
"""

from __future__ import annotations

__all__ = ["connect"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from dos.store.pgwire.connection import Connection


def connect(url: str, extra: Mapping[str, str], env: Mapping[str, str]) -> Connection:
    """An autocommit connection to ``url`` (``extra`` keywords over the URL's, libpq's
    environment defaults from ``env``); raises a :mod:`~dos.store.pgwire.errors` error,
    or ``Unsupported`` when psycopg must connect instead."""
    from dos.store.pgwire.connection import Connection
    from dos.store.pgwire.startup import open_session
    from dos.store.pgwire.target import target_of

    return Connection(open_session(target_of(url, extra, env)))
