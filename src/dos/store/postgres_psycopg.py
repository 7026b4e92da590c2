"""psycopg behind the store's connection protocol, its errors translated to the wire
client's (:mod:`dos.store.pgwire.errors`) so the store reads both alike: the class a
SQLSTATE picks, else the psycopg class's DB-API kind, with psycopg's message."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from dos.store.pgwire import errors

__all__ = ["PsycopgConnection", "connect", "translated"]

_KINDS: tuple[tuple[type[psycopg.Error], type[errors.Error]], ...] = (
    (psycopg.InterfaceError, errors.InterfaceError),
    (psycopg.OperationalError, errors.OperationalError),
    (psycopg.ProgrammingError, errors.ProgrammingError),
    (psycopg.DataError, errors.DataError),
    (psycopg.IntegrityError, errors.IntegrityError),
    (psycopg.InternalError, errors.InternalError),
    (psycopg.NotSupportedError, errors.NotSupportedError),
    (psycopg.DatabaseError, errors.DatabaseError),
)


def translated(exc: psycopg.Error) -> errors.Error:
    message = str(exc)
    if exc.sqlstate:
        return errors.error_for(exc.sqlstate, message)
    kind = next((ours for theirs, ours in _KINDS if isinstance(exc, theirs)), errors.Error)
    return kind(message)


@contextmanager
def _translating() -> Iterator[None]:
    try:
        yield
    except psycopg.Error as exc:
        raise translated(exc) from exc


def connect(url: str, extra: dict[str, Any]) -> PsycopgConnection:
    """``psycopg.connect(url, autocommit=True, **extra)``, behind the protocol."""
    try:
        with _translating():
            return PsycopgConnection(psycopg.connect(url, autocommit=True, **extra))
    except UnicodeError:  # psycopg decodes a URL's %-escapes without checking them
        raise errors.ProgrammingError(f'percent-encoded value is not UTF-8: "{url}"\n'
                                      ) from None


class PsycopgConnection:
    """A psycopg connection the store can use like a wire one."""

    __slots__ = ("_conn",)

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    @property
    def closed(self) -> bool:
        return self._conn.closed

    @property
    def broken(self) -> bool:
        return self._conn.broken

    @property
    def idle(self) -> bool:
        return not self._conn.closed and \
            self._conn.info.transaction_status == TransactionStatus.IDLE

    @property
    def backend_pid(self) -> int:
        return self._conn.info.backend_pid

    def execute(self, query: str, params: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        with _translating():
            return self._conn.execute(query, params)

    def execute_later(self, query: str, params: Sequence[Any]) -> None:
        self.execute(query, params)  # at once (psycopg's pipeline mode is not worth it here)

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        with _translating(), self._conn.cursor() as cursor:
            cursor.executemany(query, rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with _translating(), self._conn.transaction():
            yield

    def close(self) -> None:
        self._conn.close()
