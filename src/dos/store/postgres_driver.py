"""Which client opens a PostgreSQL connection: the wire client when the URL and the
environment ask only for what it does, psycopg for everything else (TLS, service
files, several hosts, ...). ``DOS_PG_DRIVER=psycopg|wire|auto`` (default auto) forces
one; tests run the store's suite under both.

Either way the connection follows :class:`dos.store.postgres_api.PgConnection` and
raises :mod:`dos.store.pgwire.errors` errors, so a failure reads the same.
"""

from __future__ import annotations

import os

from dos.errors import ConfigError, StoreError
from dos.store.pgwire.errors import InterfaceError, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.store.postgres_api import PgConnection

__all__ = ["DRIVER_ENV", "connect", "driver"]

DRIVER_ENV = "DOS_PG_DRIVER"
_DRIVERS = ("auto", "wire", "psycopg")


def driver() -> str:
    """The client ``DOS_PG_DRIVER`` asks for: auto (the default), wire or psycopg."""
    chosen = os.environ.get(DRIVER_ENV, "").strip().lower() or "auto"
    if chosen not in _DRIVERS:
        raise ConfigError(f"{DRIVER_ENV}={os.environ[DRIVER_ENV]!r} is not one of "
                          f"{', '.join(_DRIVERS)}",
                          hint=f"unset {DRIVER_ENV} (auto picks the client per URL)")
    return chosen


def connect(url: str, extra: dict[str, str]) -> PgConnection:
    """An autocommit connection to ``url`` with ``extra`` keywords over the URL's own."""
    chosen = driver()
    if chosen != "psycopg":
        from dos.store import pgwire

        try:
            return pgwire.connect(url, extra, os.environ)
        except Unsupported as why:
            if chosen == "wire":
                raise InterfaceError(
                    f"the built-in PostgreSQL client cannot connect here ({why}); "
                    f"unset {DRIVER_ENV}=wire so that psycopg does") from None
    return _psycopg(url, extra)


def _psycopg(url: str, extra: dict[str, str]) -> PgConnection:
    try:
        from dos.store import postgres_psycopg
    except ImportError:
        raise StoreError("this PostgreSQL store needs psycopg, which is not installed",
                         hint="pip install 'dispatch-os[postgres]'") from None
    return postgres_psycopg.connect(url, extra)
