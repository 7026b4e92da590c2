"""One autocommit connection, used the way the store uses psycopg's: ``execute`` with
``%s`` parameters (the extended protocol) or without (the simple protocol, several
statements allowed), ``executemany`` in batches, ``transaction()`` blocks; and
``execute_later`` for a statement whose answer nobody reads, sent with the next one. A
lost connection, or a FATAL error, leaves it ``closed`` and ``broken``."""

from __future__ import annotations

from dos.store.pgwire import frames
from dos.store.pgwire.errors import Error, InterfaceError, NotSupportedError, server_error
from dos.store.pgwire.params import encode, placeholders
from dos.store.pgwire.result import Result, ResultBuilder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from types import TracebackType
    from typing import Any

    from dos.store.pgwire.startup import Session

__all__ = ["Connection"]

_COPY = (ord("G"), ord("H"), ord("W"))
_BATCH_ROWS = 200  # about 30 bytes of answer each


class Connection:
    """A session with the server, in autocommit mode."""

    __slots__ = ("_closed_by_us", "_later", "_session")

    def __init__(self, session: Session) -> None:
        self._session: Session | None = session
        self._closed_by_us = False
        self._later: list[bytes] = []  # statements execute_later queued, each with its Sync

    @property
    def closed(self) -> bool:
        return self._session is None

    @property
    def broken(self) -> bool:
        return self._session is None and not self._closed_by_us

    @property
    def idle(self) -> bool:
        """Open and outside any transaction."""
        return self._session is not None and self._session.status == "I"

    @property
    def backend_pid(self) -> int:
        return 0 if self._session is None else self._session.backend_pid

    def execute(self, query: str, params: Sequence[Any] | None = None) -> Result:
        if params is None:
            return self._exchange(frames.query(query))
        sql = placeholders(query, len(params))
        return self._exchange(frames.extended(sql, map(encode, params)) + frames.SYNC)

    def execute_later(self, query: str, params: Sequence[Any]) -> None:
        """``execute`` whose answer the caller does not read: inside a transaction block
        it travels with the next request (a round trip saved), which raises its error,
        if any, and which is at the latest the COMMIT, so it never outlives the block.
        Outside one it runs at once (nothing may wait for a COMMIT that never comes)."""
        session = self._session
        if session is None or session.status != "T":
            self.execute(query, params)
            return
        sql = placeholders(query, len(params))
        self._later.append(frames.extended(sql, map(encode, params)) + frames.SYNC)

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        """Every row through one statement, a batch of rows per round trip: the server's
        answers to a batch fit in the socket buffers while the batch is still going out."""
        batch: list[bytes] = []
        for row in rows:
            batch.append(frames.extended(placeholders(query, len(row)), map(encode, row)))
            if len(batch) == _BATCH_ROWS:
                self._exchange(b"".join(batch) + frames.SYNC)
                batch.clear()
        if batch:
            self._exchange(b"".join(batch) + frames.SYNC)

    def transaction(self) -> _Transaction:
        return _Transaction(self)

    def close(self) -> None:
        session, self._session = self._session, None
        self._closed_by_us = True
        self._later.clear()  # the server drops the open transaction with the session
        if session is not None:
            try:  # noqa: SIM105 - contextlib costs start-up time
                session.send(frames.TERMINATE)
            except OSError:  # the server is gone already: closing is all that is left
                pass
            session.sock.close()

    def _exchange(self, request: bytes) -> Result:
        session = self._session
        if session is None:
            raise InterfaceError("the connection is closed")
        later, self._later = self._later, []
        try:
            session.send(b"".join([*later, request]) if later else request)
            return self._answers(session, len(later))
        except frames.ConnectionLostError as exc:
            self._lose()
            raise frames.ConnectionLostError(f"consuming input failed: {exc}") from None
        except Error:
            raise  # read through ReadyForQuery: the session is still in step
        except OSError as exc:
            self._lose()
            raise frames.ConnectionLostError(f"could not send data to server: {exc}") from None
        except BaseException:
            self._lose()  # interrupted mid-answer: the rest of it would come out of step
            raise

    def _answers(self, session: Session, queued: int) -> Result:
        """The answer to a request sent after ``queued`` statements of execute_later;
        the first error among them all is raised (what follows an error in a block
        fails with "current transaction is aborted")."""
        failure: Error | None = None
        for _ in range(queued):
            found = self._failure(session)
            failure = failure or found
        try:
            result = self._results(session)
        except Error:
            if failure is None or self._session is None:
                raise
            raise failure from None
        if failure is not None:
            raise failure
        return result

    def _failure(self, session: Session) -> Error | None:
        """The error of one queued statement's answer, if any (a FATAL one is raised:
        the session is gone)."""
        try:
            self._results(session)
        except Error as exc:
            if self._session is None:
                raise
            return exc
        return None

    def _results(self, session: Session) -> Result:
        builder, failure = ResultBuilder(), None
        while True:
            kind, body = session.reader.next()
            if kind == ord("Z"):
                session.status = chr(body[0])
                break
            if kind == ord("E"):
                found = frames.fields(body)
                failure = failure or server_error(found)
                if found.get("V", found.get("S")) in ("FATAL", "PANIC"):
                    self._lose()
                    raise failure  # the server ends the session after it
            elif kind in _COPY:
                self._lose()
                raise NotSupportedError("COPY is not supported by this client")
            elif kind == ord("S"):
                session.note(body)
            else:
                failure = failure or builder.offer(kind, body)
        if failure is not None:
            raise failure
        return builder.result()

    def _lose(self) -> None:
        session, self._session = self._session, None
        self._later.clear()
        if session is not None:
            session.sock.close()


class _Transaction:
    """``with conn.transaction():`` BEGIN, then COMMIT, or ROLLBACK on an exception."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def __enter__(self) -> None:
        self._conn.execute("BEGIN")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self._conn.execute("COMMIT")
        elif not self._conn.closed:
            try:  # noqa: SIM105 - contextlib costs start-up time
                self._conn.execute("ROLLBACK")
            except Error:  # as psycopg: the error that ended the block is reported
                pass
