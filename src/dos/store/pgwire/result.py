"""What a query returned, read like a psycopg cursor: ``fetchone``, ``fetchall``,
``rowcount``, ``description``, and ``nextset`` through the results of several
statements sent at once."""

from __future__ import annotations

from struct import unpack_from

from dos.store.pgwire.decode import loader_for
from dos.store.pgwire.errors import DataError, Error, InterfaceError, ProgrammingError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Result", "ResultBuilder"]

# Command tags whose last word counts rows (libpq's PQcmdTuples).
_COUNTED = frozenset(("INSERT", "UPDATE", "DELETE", "SELECT", "MERGE", "MOVE", "FETCH", "COPY"))
_IGNORED = frozenset(map(ord, "123nsNA"))  # completions, no data, suspended, notices


class _Set:
    __slots__ = ("description", "rowcount", "rows", "status")

    def __init__(self, description: tuple[str, ...] | None, rows: list[tuple[Any, ...]],
                 status: str) -> None:
        self.description, self.rows, self.status = description, rows, status
        words = status.split()
        counted = bool(words) and words[0] in _COUNTED and words[-1].isdigit()
        self.rowcount = int(words[-1]) if counted else -1


class Result:
    """The results of one ``execute``; the cursor is on the first."""

    __slots__ = ("_index", "_position", "_sets")

    def __init__(self, sets: list[_Set]) -> None:
        self._sets = sets or [_Set(None, [], "")]
        self._index = 0
        self._position = 0

    @property
    def _current(self) -> _Set:
        return self._sets[self._index]

    @property
    def rowcount(self) -> int:
        return self._current.rowcount

    @property
    def description(self) -> tuple[str, ...] | None:
        """The column names, or None when the statement returned no rows at all."""
        return self._current.description

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self._rows()
        if self._position >= len(rows):
            return None
        self._position += 1
        return rows[self._position - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows = self._rows()[self._position:]
        self._position += len(rows)
        return rows

    def nextset(self) -> bool | None:
        if self._index + 1 >= len(self._sets):
            return None
        self._index, self._position = self._index + 1, 0
        return True

    def _rows(self) -> list[tuple[Any, ...]]:
        current = self._current
        if current.description is None:
            raise ProgrammingError("the last operation didn't produce records (command "
                                   f"status: {current.status.split(' ')[0] or 'none'})")
        return current.rows


class ResultBuilder:
    """Collects RowDescription, DataRow and CommandComplete messages into a Result."""

    __slots__ = ("_description", "_loaders", "_rows", "_sets")

    def __init__(self) -> None:
        self._sets: list[_Set] = []
        self._description: tuple[str, ...] | None = None
        self._loaders: list[Callable[[str], Any]] = []
        self._rows: list[tuple[Any, ...]] = []

    def offer(self, kind: int, body: bytes) -> Error | None:
        """Add one message; a cell that cannot be read fails the query once the server
        is done answering (returned, not raised), so the session stays in step."""
        try:
            self.take(kind, body)
        except Error as exc:
            return exc
        except ValueError as exc:
            return DataError(f"cannot read a value the server sent: {exc}")
        return None

    def take(self, kind: int, body: bytes) -> None:
        if kind == ord("T"):
            self._describe(body)
        elif kind == ord("D"):
            self._rows.append(self._row(body))
        elif kind in (ord("C"), ord("I")):  # a statement completed, or was empty
            status = body[:-1].decode() if kind == ord("C") else ""
            self._sets.append(_Set(self._description, self._rows, status))
            self._description, self._loaders, self._rows = None, [], []
        elif kind not in _IGNORED:
            raise InterfaceError(f"unexpected message {chr(kind)!r} from the server")

    def result(self) -> Result:
        return Result(self._sets)

    def _describe(self, body: bytes) -> None:
        count, index = unpack_from("!H", body)[0], 2
        names, loaders = [], []
        for _ in range(count):
            end = body.index(b"\x00", index)
            names.append(body[index:end].decode("utf-8", "replace"))
            loaders.append(loader_for(unpack_from("!I", body, end + 7)[0]))
            index = end + 19  # table oid, column, type oid, size, modifier, format
        self._description, self._loaders = tuple(names), loaders

    def _row(self, body: bytes) -> tuple[Any, ...]:
        cells: list[Any] = []
        index = 2
        for load in self._loaders:
            size = unpack_from("!i", body, index)[0]
            index += 4
            if size < 0:
                cells.append(None)
                continue
            cells.append(load(body[index:index + size].decode("utf-8")))
            index += size
        return tuple(cells)
